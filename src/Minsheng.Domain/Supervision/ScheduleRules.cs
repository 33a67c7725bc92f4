using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>What an assignment should have done by a given instant (倒排计划).</summary>
public static class ScheduleRules
{
    /// <summary>
    /// The count expected by <paramref name="now"/>. Without milestones: linear from the plan's start (0) to the
    /// deadline (the target). With milestones: the count of the last milestone whose day has ended.
    /// </summary>
    public static Fraction Expected(PlanTimeline timeline, long target, IReadOnlyList<Milestone>? milestones, DateTimeOffset now)
    {
        if (milestones is { Count: > 0 })
        {
            long due = 0;
            foreach (var m in milestones)
                if (timeline.EndOf(m.Date) <= now) due = m.Completed;
            return new Fraction(due, 1);
        }
        if (now <= timeline.Start) return Fraction.Zero;
        if (now >= timeline.Deadline) return new Fraction(target, 1);
        var elapsed = (now - timeline.Start).Ticks;
        var span = (timeline.Deadline - timeline.Start).Ticks;
        return new Fraction((System.Numerics.BigInteger)target * elapsed, span);
    }
}
