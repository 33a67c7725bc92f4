using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>One assignment metric in a digest: where it stands.</summary>
public sealed record DigestItem(string TaskId, string UnitId, string MetricId, long Completed, long Target, AssignmentStatus Status);

/// <summary>
/// A unit's daily digest (每日提醒): for a street its own assignments, for a department its district-level assignments
/// and every assignment of the tasks it leads; what is not done yet (due by the deadline), what the forecast puts at
/// risk, what is overdue, and the cases open on them or addressed to it.
/// </summary>
public sealed record UnitDigest(string UnitId, DateOnly Date, int DaysToDeadline, IReadOnlyList<DigestItem> Due,
    IReadOnlyList<DigestItem> AtRisk, IReadOnlyList<DigestItem> Overdue, IReadOnlyList<SupervisionCase> OpenCases);
