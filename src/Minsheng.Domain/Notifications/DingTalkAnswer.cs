using System.Globalization;
using System.Text.Json;

namespace Minsheng.Domain.Notifications;

/// <summary>
/// What a DingTalk robot answered: <c>{"errcode":0,"errmsg":"ok"}</c> when it took the message; any other
/// <c>errcode</c> (130101 send too fast, 310000 a wrong signature or keyword, 300001 a wrong token…) means it did not,
/// although the HTTP status is 200.
/// </summary>
public sealed record DingTalkAnswer(long ErrCode, string? ErrMsg)
{
    /// <summary>The robot took the message.</summary>
    public bool Ok => ErrCode == 0;

    /// <summary>Why it did not, in a few English words naming the errcode and errmsg (null when it did).</summary>
    public string? Failure => Ok ? null : $"DingTalk errcode {ErrCode.ToString(CultureInfo.InvariantCulture)}: {Clip(ErrMsg)}";

    /// <summary>The answer in <paramref name="utf8"/>; null when it is not a JSON object with a numeric <c>errcode</c>.</summary>
    public static DingTalkAnswer? Read(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (!root.TryGetProperty("errcode", out var code) || code.ValueKind != JsonValueKind.Number || !code.TryGetInt64(out var errcode)) return null;
            var message = root.TryGetProperty("errmsg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return new DingTalkAnswer(errcode, message);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Clip(string? text) =>
        string.IsNullOrEmpty(text) ? "(no errmsg)" : text.Length <= 200 ? text : text[..200] + "…";
}
