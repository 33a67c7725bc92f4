using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Minsheng.Domain.Notifications;

/// <summary>
/// A DingTalk (钉钉 / 浙政钉) custom robot with 加签 security: every call's URL carries <c>timestamp</c> (Unix
/// milliseconds, within an hour of DingTalk's clock) and <c>sign</c>, the Base64 HMAC-SHA256, keyed with the robot's
/// secret (the <c>SEC…</c> string, UTF-8), of <c>"{timestamp}\n{secret}"</c>, URL-encoded. The message is markdown.
/// </summary>
public static class DingTalkRobot
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The Base64 signature (not yet URL-encoded) of <paramref name="timestampMilliseconds"/> with <paramref name="secret"/>.</summary>
    public static string Signature(string secret, long timestampMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Encoding.UTF8.GetBytes(secret);
        var text = Encoding.UTF8.GetBytes($"{timestampMilliseconds.ToString(CultureInfo.InvariantCulture)}\n{secret}");
        return Convert.ToBase64String(HMACSHA256.HashData(key, text));
    }

    /// <summary>
    /// The robot's webhook URL (which already carries <c>?access_token=</c>) with <c>&amp;timestamp=…&amp;sign=…</c>
    /// appended for a call made at <paramref name="now"/>.
    /// </summary>
    public static Uri SignedUrl(Uri webhook, string secret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var timestamp = now.ToUnixTimeMilliseconds();
        var url = webhook.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped);
        var separator = string.IsNullOrEmpty(webhook.Query) || webhook.Query == "?" ? (url.EndsWith('?') ? "" : "?") : "&";
        return new Uri($"{url}{separator}timestamp={timestamp.ToString(CultureInfo.InvariantCulture)}&sign={Uri.EscapeDataString(Signature(secret, timestamp))}");
    }

    /// <summary>
    /// Whether <paramref name="timestamp"/> and <paramref name="sign"/> (as read from a URL, already URL-decoded) were
    /// signed with <paramref name="secret"/> within <paramref name="tolerance"/> of <paramref name="now"/> (a test's or a
    /// stand-in robot's side).
    /// </summary>
    public static bool Verify(string secret, string? timestamp, string? sign, DateTimeOffset now, TimeSpan tolerance)
    {
        if (timestamp is null || sign is null) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return false;
        if (ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()) return false;
        if ((now - DateTimeOffset.FromUnixTimeMilliseconds(ms)).Duration() > tolerance) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(secret, ms)), Encoding.ASCII.GetBytes(sign));
    }

    /// <summary>The message for <paramref name="notice"/>: <c>{"msgtype":"markdown","markdown":{"title":…,"text":…}}</c>.</summary>
    public static byte[] Message(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return JsonSerializer.SerializeToUtf8Bytes(new MarkdownMessage("markdown", new MarkdownContent(notice.Title, notice.Markdown)), Json);
    }

    private sealed record MarkdownMessage(string Msgtype, MarkdownContent Markdown);

    private sealed record MarkdownContent(string Title, string Text);
}
