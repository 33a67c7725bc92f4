namespace Minsheng.Domain.Progress;

/// <summary>What an assignment should have done by a given instant (倒排计划).</summary>
public static class ScheduleRules
{
    /// <summary>
    /// The count expected by <paramref name="now"/>. Without milestones: linear from the plan's start (0) to the
    /// deadline (the target). With milestones: the count of the last milestone whose day has ended.
    /// </summary>
    public static Fraction Expected(PlanTimeline timeline, long target, IReadOnlyList<Milestone>? milestones, DateTimeOffset now)
    {
        var (num, den) = ExpectedParts(timeline, target, milestones, now);
        return new Fraction((System.Numerics.BigInteger)num, (System.Numerics.BigInteger)den);
    }

    /// <summary>The expected count as a numerator and denominator; a long times a tick count always fits 128 bits.</summary>
    public static (Int128 Numerator, Int128 Denominator) ExpectedParts(PlanTimeline timeline, long target, IReadOnlyList<Milestone>? milestones,
        DateTimeOffset now)
    {
        if (milestones is { Count: > 0 })
        {
            long due = 0;
            foreach (var m in milestones)
                if (timeline.EndOf(m.Date) <= now) due = m.Completed;
            return (due, 1);
        }
        if (now <= timeline.Start) return (0, 1);
        if (now >= timeline.Deadline) return (target, 1);
        return ((Int128)target * (now - timeline.Start).Ticks, (timeline.Deadline - timeline.Start).Ticks);
    }
}
