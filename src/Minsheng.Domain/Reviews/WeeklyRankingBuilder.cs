using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// Builds the weekly 晾晒 of one ISO week from the facts as they stood at its Monday moment. A pure function of the
/// plan, the options, those facts and last week's ranking, so every silo that builds it gets the same snapshot.
/// </summary>
public sealed class WeeklyRankingBuilder(PlanIndex plan, ReviewOptions options, decimal lagTolerance)
{
    private readonly ReviewCalendar _calendar = new(PlanTimeline.Of(plan.Plan), options);

    public ReviewCalendar Calendar => _calendar;

    /// <summary>
    /// The ranking of <paramref name="week"/>.
    /// </summary>
    /// <param name="factsAtMoment">Every assignment fact as accepted up to the week's Monday moment, none later: the
    /// report window and all statuses are read from them (a report counts for the week when its assignment's
    /// <see cref="ProgressFact.LastReportAt"/> falls in <see cref="ReviewCalendar.ReportingWindow"/>).</param>
    /// <param name="previous">Last week's ranking, for rank changes; null in the first week.</param>
    /// <exception cref="ArgumentOutOfRangeException">The plan has no ranking that week.</exception>
    /// <param name="windowStart">The facts a forecast window (<see cref="Forecasts.ForecastRules.Window"/>) before the moment,
    /// for the at-risk list; without them the ranking has none.</param>
    public WeeklyRanking Build(IsoWeek week, IReadOnlyDictionary<AssignmentKey, ProgressFact> factsAtMoment, WeeklyRanking? previous,
        IReadOnlyDictionary<AssignmentKey, ProgressFact>? windowStart = null)
    {
        if (!_calendar.HasRanking(week))
            throw new ArgumentOutOfRangeException(nameof(week), week.ToString(),
                $"Plan {plan.Id} has no weekly ranking in {week}: weeks run from its start to its final deadline.");
        var at = _calendar.PublishedAt(week);
        var progress = new UnitProgress(plan, factsAtMoment, at, lagTolerance);

        var streets = Rank(progress, progress.Streets.Select(s => (s, new OwnerRef(OwnerKind.Street, s.Id))), previous?.Streets);
        var departments = Rank(progress, progress.LeadDepartments.Select(d => (d, new OwnerRef(OwnerKind.Department, d.Id))), previous?.Departments);

        var views = plan.AllAssignments.Select(a => (Ref: a, View: progress.Rollups.View(a))).ToList();
        var lagging = views.Where(v => v.View.Status == AssignmentStatus.Lagging)
            .OrderByDescending(v => Behind(progress, v.Ref), Comparer<Fraction>.Create(Exact.Compare))
            .Select(v => v.View).ToList();
        var overdue = views.Where(v => v.View.Status == AssignmentStatus.Overdue)
            .OrderBy(v => Fraction.Capped(v.View.Completed, v.View.Target), Comparer<Fraction>.Create(Exact.Compare))
            .Select(v => v.View).ToList();

        // At risk at their pace and not overdue yet (the overdue list has those): the warning before the deadline.
        var atRisk = windowStart is null ? null : Forecasts.PlanForecasts.Of(plan, factsAtMoment, windowStart, at).AtRisk
            .Where(f => progress.Rollups.View(plan.FindAssignment(f.TaskId, f.UnitId, f.MetricId)!.Value).Status != AssignmentStatus.Overdue)
            .ToList();
        return new WeeklyRanking(plan.Id, week.ToString(), at, streets, departments, lagging, overdue,
            Silent(progress, _calendar.ReportingWindow(week), streets, departments), atRisk);
    }

    private List<RankedUnit> Rank(UnitProgress progress, IEnumerable<(NamedUnit Unit, OwnerRef Ref)> units, IReadOnlyList<RankedUnit>? previous)
    {
        var rows = units.Select(u => (u.Unit, Ratio: progress.Ratio(u.Ref), Expected: progress.Expected(u.Ref))).ToList();
        var lastRanks = previous?.ToDictionary(r => r.Id, r => r.Rank, StringComparer.Ordinal);
        return Ranks.Assign(rows, (a, b) => Exact.Compare(b.Ratio, a.Ratio), r => r.Unit.Id)
            .Select(x =>
            {
                var gap = Exact.Mul(Exact.Sub(x.Row.Expected, x.Row.Ratio), Exact.Whole(100));
                int? change = lastRanks is not null && lastRanks.TryGetValue(x.Row.Unit.Id, out var last) ? last - x.Rank : null;
                return new RankedUnit(x.Row.Unit.Id, x.Row.Unit.Name, x.Row.Ratio.ToDecimal(), x.Row.Expected.ToDecimal(),
                    Exact.Round(gap, 4), Lights.Of(gap, options), x.Rank, change);
            })
            .ToList();
    }

    /// <summary>How far an assignment metric is behind: (due − completed) / target, for ordering the lagging list.</summary>
    private static Fraction Behind(UnitProgress progress, AssignmentRef a)
    {
        var completed = progress.Rollups.FactOf(a.Key).Completed;
        return Exact.Div(Exact.Sub(progress.DueCount(a.Task, a.Assignment), Exact.Whole(completed)), Exact.Whole(a.Assignment.Target));
    }

    /// <summary>
    /// Per (task, unit): unfinished when any metric is below its target; reported when any metric's last report falls in
    /// the window (the latest report is at least as late as any other, so the last one is enough). Listed in the order
    /// of the units' ranks, streets first; task ids in plan order.
    /// </summary>
    private List<SilentUnit> Silent(UnitProgress progress, (DateTimeOffset After, DateTimeOffset UpTo) window,
        IReadOnlyList<RankedUnit> streets, IReadOnlyList<RankedUnit> departments)
    {
        var silent = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var group in plan.AllAssignments.GroupBy(a => (a.Task, a.Assignment.UnitId)))
        {
            var facts = group.Select(a => (a.Assignment, Fact: progress.Rollups.FactOf(a.Key))).ToList();
            var unfinished = facts.Any(f => f.Fact.Completed < f.Assignment.Target);
            var reported = facts.Any(f => f.Fact.LastReportAt is { } t && t > window.After && t <= window.UpTo);
            if (!unfinished || reported) continue;
            var owner = PlanIndex.OwnerOf(group.Key.Task, group.Key.UnitId).Id;
            if (!silent.TryGetValue(owner, out var tasks)) silent[owner] = tasks = [];
            tasks.Add(group.Key.Task.Id);
        }
        return streets.Concat(departments)
            .Where(r => silent.ContainsKey(r.Id))
            .Select(r => new SilentUnit(r.Id, silent[r.Id]))
            .ToList();
    }
}
