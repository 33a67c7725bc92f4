using System.Text.RegularExpressions;

namespace Minsheng.Silo.Notifications;

/// <summary>What of an endpoint or an error may be logged or stored: no <c>access_token</c> (a DingTalk robot's), no secret.</summary>
public static partial class NotificationRedaction
{
    private const string Hidden = "***";

    /// <summary><paramref name="endpoint"/> with the value of every <c>access_token</c> and <c>sign</c> query parameter hidden.</summary>
    public static string Url(Uri endpoint) => Text(endpoint.ToString());

    /// <summary><paramref name="text"/> with token parameters hidden, and <paramref name="secret"/> wherever it appears.</summary>
    public static string Text(string text, string? secret = null)
    {
        var redacted = TokenParameter().Replace(text, m => m.Groups[1].Value + Hidden);
        return string.IsNullOrEmpty(secret) ? redacted : redacted.Replace(secret, Hidden, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"((?:access_token|sign)=)[^&#\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenParameter();
}
