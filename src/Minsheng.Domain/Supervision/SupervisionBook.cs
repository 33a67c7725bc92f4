using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>
/// What supervision remembers between evaluations: how far it has run, the last status of each assignment metric,
/// standing alerts, weekly lagging streaks and the cases. Plain data, so it stores as JSON.
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

    public int NextCaseNumber { get; set; } = 1;
}
