using Minsheng.Grains.Messages;

namespace Minsheng.Grains.State;

/// <summary>
/// What an owner grain (a street, or a department for the district level) stores: each assignment's current fact and
/// its last accepted report. Its size does not grow with the number of reports: the history lives in the audit log,
/// and every reportId's answer in its own <c>ReportClaimGrain</c>.
/// </summary>
[GenerateSerializer, Alias("minsheng.owner-state.v1")]
public sealed class OwnerState
{
    /// <summary>Keyed by "{taskId}/{unitId}/{metricId}".</summary>
    [Id(0)] public Dictionary<string, AssignmentRecord> Assignments { get; set; } = [];
}

/// <summary>One assignment's current fact and the last report that changed it.</summary>
[GenerateSerializer, Alias("minsheng.assignment-record.v1")]
public sealed class AssignmentRecord
{
    [Id(0)] public long Completed { get; set; }
    [Id(1)] public long Version { get; set; }
    [Id(2)] public DateTimeOffset? LastReportAt { get; set; }
    [Id(3)] public DateTimeOffset? DoneAt { get; set; }
    [Id(4)] public List<MilestoneMessage>? Milestones { get; set; }
    [Id(5)] public StoredReport? LastReport { get; set; }
}

/// <summary>An accepted report: the fingerprint of its body, the answer that was sent and the history entry it made.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.stored-report.v1")]
public sealed record StoredReport(
    [property: Id(0)] string Fingerprint,
    [property: Id(1)] ReportAnswer Answer,
    [property: Id(2)] HistoryEntry Entry);
