using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Progress;

/// <summary>The instants a plan's schedules are measured between, in the plan's own offset (Asia/Shanghai).</summary>
public sealed record PlanTimeline(DateTimeOffset Start, DateTimeOffset Deadline, DateTimeOffset FinalDeadline)
{
    public static PlanTimeline Of(Plan plan) => new(
        new DateTimeOffset(plan.Start.ToDateTime(TimeOnly.MinValue), plan.Deadline.Offset),
        plan.Deadline,
        plan.FinalDeadline);

    public TimeSpan Offset => Deadline.Offset;

    /// <summary>The last instant of a calendar date in the plan's offset: a milestone is due by then.</summary>
    public DateTimeOffset EndOf(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(new TimeOnly(23, 59, 59)), Offset);

    /// <summary>The calendar date of an instant in the plan's offset.</summary>
    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);
}
