namespace Minsheng.Demo;

/// <summary>How an assignment's synthetic progress runs against its schedule.</summary>
public enum PaceProfile
{
    /// <summary>Fast start, done well before the deadline.</summary>
    Ahead,

    /// <summary>Close to the linear schedule, done shortly before the deadline.</summary>
    OnTrack,

    /// <summary>Slow start, behind the linear schedule for months, done just by the deadline.</summary>
    Lagging,

    /// <summary>Slower still: misses the deadline and finishes in the mop-up month (查漏补缺).</summary>
    Late,
}

/// <summary>
/// The cumulative count of one assignment over the year, from <c>shape(t) = t^Exponent</c> where <c>t</c> runs from 0
/// at <see cref="Start"/> to 1 at <see cref="Finish"/>. Ahead and on-track curves count <c>⌈target × (shape(t) − 0.03)⌉</c>:
/// most targets are 1 or 2, and a count rounded down would put such an assignment behind the linear schedule by more
/// than the 10% tolerance within days; rounded up less a small slack, it stays within the tolerance even when a report
/// is a week or two old. Lagging and late curves round down. Never decreases; exactly the target from the finish on.
/// </summary>
public sealed record ProgressCurve(PaceProfile Profile, long Target, DateOnly Start, DateOnly Finish, double Exponent)
{
    /// <summary>The curve of a profile: where it finishes relative to the deadline and how its shape bends.</summary>
    public static ProgressCurve For(PaceProfile profile, long target, DateOnly start, DateOnly deadline, DateOnly finalDeadline, double draw)
    {
        var span = Math.Max(1, deadline.DayNumber - start.DayNumber);
        // draw in [0, 1) places the finish within the profile's window.
        int Within(int from, int to) => from + (int)Math.Floor(draw * (to - from + 1));
        var (finish, exponent) = profile switch
        {
            PaceProfile.Ahead => (deadline.AddDays(-Within(span / 6, span / 3)), 0.7),
            PaceProfile.OnTrack => (deadline.AddDays(-Within(2, span / 10)), 1.0),
            PaceProfile.Lagging => (deadline.AddDays(-Within(0, 3)), 2.2),
            _ => (Min(deadline.AddDays(Within(4, 24)), finalDeadline.AddDays(-1)), 2.4),
        };
        if (finish <= start) finish = start.AddDays(1);
        return new ProgressCurve(profile, target, start, finish, exponent);
    }

    /// <summary>What ahead and on-track curves take off before rounding up, as a share of the target.</summary>
    public const double Slack = 0.03;

    /// <summary>The cumulative count on a day (0 before the start, the target from the finish on).</summary>
    public long CompletedOn(DateOnly day)
    {
        if (day >= Finish) return Target;
        if (day <= Start) return 0;
        var t = (double)(day.DayNumber - Start.DayNumber) / (Finish.DayNumber - Start.DayNumber);
        var share = Math.Pow(t, Exponent);
        var count = Profile is PaceProfile.Ahead or PaceProfile.OnTrack
            ? (long)Math.Ceiling(Target * (share - Slack))
            : (long)Math.Floor(Target * share);
        return Math.Clamp(count, 0, Target);
    }

    /// <summary>True when the curve reaches its target after the deadline.</summary>
    public bool FinishesAfter(DateOnly deadline) => Finish > deadline;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
