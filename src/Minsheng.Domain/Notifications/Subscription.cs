namespace Minsheng.Domain.Notifications;

/// <summary>
/// An office's order to send a plan's notices of some kinds, for some units (none named: all), to one endpoint in one
/// format. <see cref="Secret"/> signs every delivery (the webhook's HMAC key, or the DingTalk robot's signing secret).
/// </summary>
public sealed record Subscription(
    string Id,
    string PlanId,
    string? Name,
    SubscriptionFormat Format,
    Uri Endpoint,
    string Secret,
    IReadOnlyList<NoticeKind> Events,
    IReadOnlyList<string> Units,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    /// <summary>Whether this subscription asks for <paramref name="notice"/>: its kind, and (for a notice about units) one of its units.</summary>
    public bool Wants(Notice notice) =>
        notice.PlanId == PlanId && Events.Contains(notice.Kind)
        && (Units.Count == 0 || notice.Units.Count == 0 || notice.Units.Any(u => Units.Contains(u, StringComparer.Ordinal)));
}
