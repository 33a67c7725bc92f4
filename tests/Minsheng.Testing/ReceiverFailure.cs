namespace Minsheng.Testing;

/// <summary>How a <see cref="NotificationReceiver"/> fails a request it was told to fail.</summary>
public enum ReceiverFailure
{
    /// <summary>HTTP 500.</summary>
    ServerError,

    /// <summary>HTTP 200 with DingTalk's rate-limit answer, <c>{"errcode":130101,"errmsg":"send too fast"}</c>.</summary>
    DingTalkTooFast,

    /// <summary>No answer at all: the request is held until the client gives up (or the receiver stops).</summary>
    Hang,

    /// <summary>HTTP 302 to another path of the receiver (a sender must not follow it).</summary>
    Redirect,
}
