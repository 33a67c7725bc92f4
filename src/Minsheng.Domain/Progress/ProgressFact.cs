namespace Minsheng.Domain.Progress;

/// <summary>
/// The latest known state of one assignment, as its owner recorded it: a cumulative count with the owner's
/// version. Aggregates keep the highest version per assignment, so duplicates and reordering cannot drift them.
/// </summary>
/// <param name="Completed">Cumulative count done so far (累计完成), as reported; may exceed the target.</param>
/// <param name="Version">The owner's version of this assignment; every accepted change increments it.</param>
/// <param name="LastReportAt">When the last accepted report arrived.</param>
/// <param name="DoneAt">When the count first reached the target (reset if a correction takes it below).</param>
/// <param name="Milestones">The assignment's own schedule (倒排计划), or null for the plan's linear default.</param>
public sealed record ProgressFact(
    long Completed,
    long Version,
    DateTimeOffset? LastReportAt,
    DateTimeOffset? DoneAt = null,
    IReadOnlyList<Milestone>? Milestones = null)
{
    public static ProgressFact Initial { get; } = new(0, 0, null);
}
