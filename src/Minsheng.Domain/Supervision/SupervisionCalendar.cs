using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>The moments supervision runs at, derived from a plan's timeline and the escalation policy.</summary>
public static class SupervisionCalendar
{
    /// <summary>Every checkpoint in (<paramref name="after"/>, <paramref name="upTo"/>], in time order (ties: as listed in <see cref="CheckpointKind"/>).</summary>
    public static IReadOnlyList<Checkpoint> Between(PlanTimeline timeline, EscalationPolicy policy, DateTimeOffset after, DateTimeOffset upTo)
    {
        var list = new List<Checkpoint>();
        if (upTo <= after) return list;
        var first = timeline.DateOf(after > timeline.Start ? after : timeline.Start);
        var last = timeline.DateOf(upTo < timeline.FinalDeadline ? upTo : timeline.FinalDeadline);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            list.Add(new Checkpoint(At(timeline, day, TimeOnly.MinValue), CheckpointKind.Daily));
            if (day.DayOfWeek == policy.WeeklyDay)
                list.Add(new Checkpoint(At(timeline, day, policy.WeeklyTime), CheckpointKind.Weekly));
            if (policy.DigestTime is { } digest)
                list.Add(new Checkpoint(At(timeline, day, digest), CheckpointKind.Digest));
        }
        var deadlineDate = timeline.DateOf(timeline.Deadline);
        foreach (var days in policy.DeadlineNearDays)
            list.Add(new Checkpoint(At(timeline, deadlineDate.AddDays(-days), policy.WeeklyTime), CheckpointKind.DeadlineNear, days));
        list.Add(new Checkpoint(timeline.Deadline.AddSeconds(1), CheckpointKind.Deadline));
        return list
            .Where(c => c.At > after && c.At <= upTo && c.At >= timeline.Start)
            .OrderBy(c => c.At).ThenBy(c => c.Kind)
            .ToList();
    }

    /// <summary>
    /// The first checkpoint after <paramref name="after"/>, or null when none is left: the instant a durable schedule
    /// wakes the plan's supervision next. At most two days of the calendar are looked at (every day has its daily check
    /// until the final deadline), so asking costs the same on any day of the year.
    /// </summary>
    public static DateTimeOffset? NextAfter(PlanTimeline timeline, EscalationPolicy policy, DateTimeOffset after)
    {
        if (after >= timeline.FinalDeadline) return null;
        var from = after < timeline.Start ? timeline.Start.AddTicks(-1) : after;
        // The next midnight is a daily check (unless past the final deadline); anything earlier is on the same day.
        var upTo = new DateTimeOffset(timeline.DateOf(from).AddDays(1).ToDateTime(TimeOnly.MinValue), timeline.Offset);
        var next = Between(timeline, policy, from, upTo < timeline.FinalDeadline ? upTo : timeline.FinalDeadline);
        return next.Count > 0 ? next[0].At : null;
    }

    private static DateTimeOffset At(PlanTimeline timeline, DateOnly day, TimeOnly time) =>
        new(day.ToDateTime(time), timeline.Offset);
}
