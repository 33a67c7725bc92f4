using System.Text;
using System.Web;

namespace Minsheng.Testing;

/// <summary>One request a <see cref="NotificationReceiver"/> got, as it arrived, and how it was answered.</summary>
/// <param name="PathAndQuery">The path and the raw query (<c>/robot/send?access_token=…&amp;timestamp=…&amp;sign=…</c>).</param>
/// <param name="Headers">Every header, names without case; repeated values joined with <c>", "</c>.</param>
/// <param name="Body">The body's bytes, as sent.</param>
/// <param name="At">When it arrived (this machine's clock).</param>
/// <param name="Answer">The status it was answered with; null while it hangs (and for good when it was left hanging).</param>
/// <param name="Effective">
/// Whether it counts as a delivery: answered as a success, and the first such with its <c>Idempotency-Key</c> (a
/// request without one counts each time it succeeds).
/// </param>
public sealed record ReceivedRequest(
    long Number,
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    DateTimeOffset At,
    int? Answer,
    bool Effective)
{
    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The path without the query.</summary>
    public string Path => PathAndQuery.Split('?', 2)[0];

    /// <summary>A query parameter's value, URL-decoded; null when absent.</summary>
    public string? Query(string name) =>
        PathAndQuery.Split('?', 2) is [_, var query] ? HttpUtility.ParseQueryString(query)[name] : null;

    /// <summary>The <c>Idempotency-Key</c> header, or null.</summary>
    public string? IdempotencyKey => Header("Idempotency-Key");
}
