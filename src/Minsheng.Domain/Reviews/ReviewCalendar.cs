using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// When the reviews of a plan happen: the weekly 晾晒 on Monday at <see cref="ReviewOptions.WeeklyTime"/> in the plan's
/// offset (the same moment as the weekly supervision check), and the monthly 评估 at the last second of each month.
/// A week has a ranking only when its Monday moment lies within [start, final deadline]; a month has an evaluation
/// only when it overlaps that span. Any week or month the calendar can name is answered, including the first and last
/// the calendar holds: those far from the plan are refused by comparing names, before any instant is computed for
/// them (an instant at the calendar's ends does not exist in every offset).
/// </summary>
public sealed class ReviewCalendar(PlanTimeline timeline, ReviewOptions options)
{
    public PlanTimeline Timeline => timeline;

    /// <summary>The instant a week's ranking is published and judged at: its Monday at the weekly time.</summary>
    public DateTimeOffset PublishedAt(IsoWeek week) => new(week.Monday.ToDateTime(options.WeeklyTime), timeline.Offset);

    /// <summary>Whether the plan has a ranking for this week (none before its start or after its final deadline).</summary>
    public bool HasRanking(IsoWeek week)
    {
        if (week < IsoWeek.Of(timeline.DateOf(timeline.Start)) || week > IsoWeek.Of(timeline.DateOf(timeline.FinalDeadline))) return false;
        var at = PublishedAt(week);
        return at >= timeline.Start && at <= timeline.FinalDeadline;
    }

    /// <summary>Every week with a ranking, oldest first.</summary>
    public IReadOnlyList<IsoWeek> Weeks()
    {
        var weeks = new List<IsoWeek>();
        for (var week = IsoWeek.Of(timeline.DateOf(timeline.Start)); PublishedAt(week) <= timeline.FinalDeadline; week = week.Next)
            if (HasRanking(week)) weeks.Add(week);
        return weeks;
    }

    /// <summary>The latest week whose ranking was due at or before <paramref name="now"/>, or null before the first.</summary>
    public IsoWeek? LatestAt(DateTimeOffset now)
    {
        IsoWeek? latest = null;
        foreach (var week in Weeks())
            if (PublishedAt(week) <= now) latest = week;
        return latest;
    }

    /// <summary>
    /// The span a week's reports are looked for in: (previous Monday moment, this Monday moment], clipped to the
    /// plan's start for the first week. Half-open at the start so no report counts for two weeks.
    /// </summary>
    public (DateTimeOffset After, DateTimeOffset UpTo) ReportingWindow(IsoWeek week)
    {
        var at = PublishedAt(week);
        var after = at.AddDays(-7);
        return (after < timeline.Start ? timeline.Start.AddTicks(-1) : after, at);
    }

    /// <summary>The instant a month is evaluated at: the last second of its last day in the plan's offset.</summary>
    public DateTimeOffset EvaluatedAt(EvaluationMonth month) => timeline.EndOf(month.LastDay);

    /// <summary>The first instant of a month in the plan's offset.</summary>
    public DateTimeOffset MonthStart(EvaluationMonth month) => new(month.FirstDay.ToDateTime(TimeOnly.MinValue), timeline.Offset);

    /// <summary>Whether the month overlaps [start, final deadline] and so has an evaluation.</summary>
    public bool HasEvaluation(EvaluationMonth month) =>
        month >= EvaluationMonth.Of(timeline.DateOf(timeline.Start)) && month <= EvaluationMonth.Of(timeline.DateOf(timeline.FinalDeadline))
        && EvaluatedAt(month) >= timeline.Start && MonthStart(month) <= timeline.FinalDeadline;

    /// <summary>Every month with an evaluation, oldest first.</summary>
    public IReadOnlyList<EvaluationMonth> Months()
    {
        var months = new List<EvaluationMonth>();
        for (var m = EvaluationMonth.Of(timeline.DateOf(timeline.Start)); MonthStart(m) <= timeline.FinalDeadline; m = m.Next)
            months.Add(m);
        return months;
    }

    /// <summary>
    /// The first review instant after <paramref name="after"/> (a weekly publication, a month's evaluation or the final
    /// deadline's year-end input), or null when every review is published: with the supervision calendar, the instant
    /// a durable schedule wakes the plan next.
    /// </summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        if (after >= timeline.FinalDeadline) return null;
        var from = after < timeline.Start ? timeline.Start : after;
        var candidates = new List<DateTimeOffset> { timeline.FinalDeadline };
        for (var week = IsoWeek.Of(timeline.DateOf(from)); ; week = week.Next)
        {
            var at = PublishedAt(week);
            if (at > timeline.FinalDeadline) break;
            if (at > after && HasRanking(week))
            {
                candidates.Add(at);
                break;
            }
        }
        for (var month = EvaluationMonth.Of(timeline.DateOf(from)); MonthStart(month) <= timeline.FinalDeadline; month = month.Next)
        {
            if (EvaluatedAt(month) > after && HasEvaluation(month))
            {
                candidates.Add(EvaluatedAt(month));
                break;
            }
        }
        return candidates.Min();
    }
}
