using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>
/// What supervision remembers between evaluations: how far it has run, the last status of each assignment metric,
/// standing alerts, weekly lagging streaks and the cases. Plain data, so it stores as JSON; what is empty is left out,
/// so a book written before notifications existed reads and writes as it did.
/// </summary>
public sealed class SupervisionBook
{
    /// <summary>The instant up to which every checkpoint has been processed.</summary>
    public DateTimeOffset? ProcessedUntil { get; set; }

    /// <summary>Last known status per "task/unit/metric".</summary>
    public Dictionary<string, AssignmentStatus> Statuses { get; set; } = [];

    /// <summary>Standing alerts per "task/unit/metric/kind" (the kind's wire name).</summary>
    public Dictionary<string, Alert> Alerts { get; set; } = [];

    /// <summary>Weekly checks in a row an assignment ("task/unit") was found lagging.</summary>
    public Dictionary<string, int> LaggingStreaks { get; set; } = [];

    public List<SupervisionCase> Cases { get; set; } = [];

    /// <summary>Cases already told to be waiting too long for a response (caseResponseOverdue is told once per case).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public HashSet<string>? ResponseOverdueTold { get; set; }

    /// <summary>
    /// Notices decided with these statuses and not yet handed to the notification store: the outbox, written in the same
    /// record as what caused them and emptied once the store has them.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<Notifications.Notice>? PendingNotices { get; set; }

    public int NextCaseNumber { get; set; } = 1;
}
