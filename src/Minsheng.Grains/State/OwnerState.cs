using Minsheng.Grains.Messages;

namespace Minsheng.Grains.State;

/// <summary>
/// What an owner grain (a street, or a department for the district level) stores: its assignments' facts with their
/// history, and the answer to every report it accepted, keyed by reportId, so that retries get the same answer.
/// </summary>
[GenerateSerializer, Alias("minsheng.owner-state.v1")]
public sealed class OwnerState
{
    /// <summary>Keyed by "{taskId}/{unitId}/{metricId}".</summary>
    [Id(0)] public Dictionary<string, AssignmentRecord> Assignments { get; set; } = [];

    [Id(1)] public Dictionary<string, StoredReport> Reports { get; set; } = [];
}

/// <summary>One assignment's current fact and its history.</summary>
[GenerateSerializer, Alias("minsheng.assignment-record.v1")]
public sealed class AssignmentRecord
{
    [Id(0)] public long Completed { get; set; }
    [Id(1)] public long Version { get; set; }
    [Id(2)] public DateTimeOffset? LastReportAt { get; set; }
    [Id(3)] public DateTimeOffset? DoneAt { get; set; }
    [Id(4)] public List<MilestoneMessage>? Milestones { get; set; }
    [Id(5)] public List<HistoryEntry> History { get; set; } = [];
}

/// <summary>The fingerprint of an accepted report's body and the answer that was sent.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.stored-report.v1")]
public sealed record StoredReport([property: Id(0)] string Fingerprint, [property: Id(1)] ReportAnswer Answer);
