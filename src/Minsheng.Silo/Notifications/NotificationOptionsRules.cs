using System.Net;
using Microsoft.Extensions.Options;

namespace Minsheng.Silo.Notifications;

/// <summary>The rules of <see cref="NotificationOptions"/>; each message names the full configuration key.</summary>
public sealed class NotificationOptionsRules : IValidateOptions<NotificationOptions>
{
    /// <summary>The longest attempt a setting may ask for: a slow endpoint must not hold a sending slot for longer.</summary>
    public static readonly TimeSpan MaxAttemptTimeout = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NotificationOptions options) => ValidatedOptions.Result(Errors(options));

    private static IEnumerable<string> Errors(NotificationOptions o)
    {
        const string at = NotificationOptions.Section;
        foreach (var (host, i) in (o.AllowedHosts ?? []).Select((h, i) => (h, i)))
            if (!IsHostPattern(host))
                yield return $"{at}:AllowedHosts:{i} must be a host name (oapi.dingtalk.com), an IP address or *.suffix (*.example.gov.cn), not '{host}'";
        if (o.AttemptTimeout <= TimeSpan.Zero || o.AttemptTimeout > MaxAttemptTimeout)
            yield return $"{at}:AttemptTimeout must be positive and at most {MaxAttemptTimeout}, not {o.AttemptTimeout}";
        if (o.FirstRetryDelay <= TimeSpan.Zero) yield return $"{at}:FirstRetryDelay must be positive, not {o.FirstRetryDelay}";
        if (o.MaxRetryDelay < o.FirstRetryDelay)
            yield return $"{at}:MaxRetryDelay must be at least FirstRetryDelay ({o.FirstRetryDelay}), not {o.MaxRetryDelay}";
        if (o.GiveUpAfter <= TimeSpan.Zero) yield return $"{at}:GiveUpAfter must be positive, not {o.GiveUpAfter}";
        if (o.MaxSubscriptionsPerPlan < 1) yield return $"{at}:MaxSubscriptionsPerPlan must be at least 1, not {o.MaxSubscriptionsPerPlan}";
        if (o.Concurrency < 1) yield return $"{at}:Concurrency must be at least 1, not {o.Concurrency}";
        if (o.PollInterval <= TimeSpan.Zero) yield return $"{at}:PollInterval must be positive, not {o.PollInterval}";
    }

    /// <summary>A host name, an IP literal (IPv6 with or without brackets) or <c>*.</c> and a host name.</summary>
    internal static bool IsHostPattern(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry) || entry != entry.Trim()) return false;
        if (entry.StartsWith("*.", StringComparison.Ordinal))
            return entry[2..] is var suffix && suffix.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(suffix) == UriHostNameType.Dns;
        var host = entry.StartsWith('[') && entry.EndsWith(']') ? entry[1..^1] : entry;
        return IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns;
    }
}
