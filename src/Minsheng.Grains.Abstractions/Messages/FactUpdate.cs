namespace Minsheng.Grains.Messages;

/// <summary>
/// The progress message grains pass upward: one assignment's cumulative state at the owner's version.
/// Receivers keep the highest version per assignment, so a duplicate or a late, older message changes nothing.
/// <see cref="AckedAt"/> is the owner's wall-clock time of the acknowledgement, on pushed updates only (for the plan
/// grain's rollup-lag histogram); facts pulled in a reconcile carry none.
/// </summary>
[GenerateSerializer, Immutable, Alias("minsheng.fact-update.v1")]
public sealed record FactUpdate(
    [property: Id(0)] string TaskId,
    [property: Id(1)] string UnitId,
    [property: Id(2)] string MetricId,
    [property: Id(3)] long Completed,
    [property: Id(4)] long Version,
    [property: Id(5)] DateTimeOffset? LastReportAt,
    [property: Id(6)] DateTimeOffset? DoneAt,
    [property: Id(7)] IReadOnlyList<MilestoneMessage>? Milestones,
    [property: Id(8)] DateTimeOffset? AckedAt = null);

/// <summary>A schedule point on the wire.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.milestone.v1")]
public sealed record MilestoneMessage([property: Id(0)] DateOnly Date, [property: Id(1)] long Completed);
