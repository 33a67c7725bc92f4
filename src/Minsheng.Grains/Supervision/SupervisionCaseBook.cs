using Minsheng.Domain.Supervision;

namespace Minsheng.Grains.Supervision;

/// <summary>
/// The cases of a plan's supervision, stored apart from its statuses and alerts: a case action rewrites only the
/// cases, and a status change only the statuses, so neither grows the other's writes.
/// </summary>
public sealed class SupervisionCaseBook
{
    public List<SupervisionCase> Cases { get; set; } = [];

    public int NextCaseNumber { get; set; } = 1;

    /// <summary>Notices of case actions not yet handed to the notification store (the outbox, written with the cases).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<Minsheng.Domain.Notifications.Notice>? PendingNotices { get; set; }
}
