using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// The monthly 评估: a score out of 100 per street and per lead department, judged at the month's last second.
/// <para>
/// score = progress + cases + reporting − penalty, floored at 0, where (weights from <see cref="MonthlyEvaluationOptions"/>):
/// progress = ProgressWeight × min(1, ratio / 序时进度) (full when nothing is due yet);
/// cases = CaseWeight × checks met / (3 × cases counted), each case checked for answered on time, closed on time and
/// not reopened (full with no case);
/// reporting = ReportingWeight × weeks not silent / weekly 晾晒 published in the month (full with none);
/// penalty = min(MaxLastPlacePenalty, LastPlacePenalty × months in a row in last place) for the units with the lowest
/// subtotal of their group (streets, departments), unless the whole group ties.
/// Parts are rounded to 2 places (half away from zero) before they are summed, so the shown parts add up to the total.
/// </para>
/// Worked example: docs/evaluation-formula.md.
/// </summary>
public sealed class MonthlyEvaluator(PlanIndex plan, ReviewOptions reviewOptions, MonthlyEvaluationOptions options, decimal lagTolerance)
{
    private readonly ReviewCalendar _calendar = new(PlanTimeline.Of(plan.Plan), reviewOptions);

    public ReviewCalendar Calendar => _calendar;

    /// <summary>The evaluation of <paramref name="month"/>.</summary>
    /// <param name="factsAtEnd">Every fact as accepted up to <see cref="ReviewCalendar.EvaluatedAt"/>, none later.</param>
    /// <param name="rankings">Weekly rankings; those published within the month are used, others ignored.</param>
    /// <param name="cases">The plan's cases (any state); only what had happened by the month's end counts.</param>
    /// <param name="previous">The previous month's evaluation (for last-place streaks), or null for the first month.</param>
    /// <exception cref="ArgumentOutOfRangeException">The plan has no evaluation that month.</exception>
    /// <exception cref="ArgumentException"><paramref name="previous"/> is not the month before.</exception>
    public MonthlyEvaluation Evaluate(EvaluationMonth month, IReadOnlyDictionary<AssignmentKey, ProgressFact> factsAtEnd,
        IEnumerable<WeeklyRanking> rankings, IEnumerable<SupervisionCase> cases, MonthlyEvaluation? previous)
    {
        if (!_calendar.HasEvaluation(month))
            throw new ArgumentOutOfRangeException(nameof(month), month.ToString(),
                $"Plan {plan.Id} has no evaluation for {month}: months run from its start to its final deadline.");
        if (previous is not null && previous.Month != month.Previous.ToString())
            throw new ArgumentException($"The previous evaluation is of {previous.Month}, not {month.Previous}.", nameof(previous));

        var from = _calendar.MonthStart(month);
        var at = _calendar.EvaluatedAt(month);
        var progress = new UnitProgress(plan, factsAtEnd, at, lagTolerance);
        var weeks = rankings.Where(r => r.PublishedAt >= from && r.PublishedAt <= at).ToList();
        var allCases = cases.ToList();
        var caseRecord = new CaseRecord(plan, _calendar.Timeline, options);

        List<Part> Parts(IEnumerable<(NamedUnit Unit, OwnerRef Ref)> units) => units.Select(u =>
        {
            var ratio = progress.Ratio(u.Ref);
            var expected = progress.Expected(u.Ref);
            var (counted, met) = caseRecord.Judge(caseRecord.CasesOf(u.Ref, allCases).ToList(), from, at);
            var silentWeeks = weeks.Count(w => w.Silent.Any(s => s.UnitId == u.Unit.Id));
            return new Part(u.Unit, ratio, expected, ProgressPart(ratio, expected), counted, met, CasePart(counted, met),
                weeks.Count, silentWeeks, ReportingPart(weeks.Count, silentWeeks));
        }).ToList();

        var streets = Score(Parts(progress.Streets.Select(s => (s, new OwnerRef(OwnerKind.Street, s.Id)))), previous?.Streets);
        var departments = Score(Parts(progress.LeadDepartments.Select(d => (d, new OwnerRef(OwnerKind.Department, d.Id)))), previous?.Departments);
        return new MonthlyEvaluation(plan.Id, month.ToString(), at, options, streets, departments);
    }

    private decimal ProgressPart(Fraction ratio, Fraction expected)
    {
        var share = expected.Numerator.IsZero ? Fraction.One : Exact.Min(Fraction.One, Exact.Div(ratio, expected));
        return Exact.Round(Exact.Mul(Exact.Of(options.ProgressWeight), share), 2);
    }

    private decimal CasePart(int counted, int met) => counted == 0
        ? options.CaseWeight
        : Exact.Round(Exact.Mul(Exact.Of(options.CaseWeight), new Fraction(met, 3 * counted)), 2);

    private decimal ReportingPart(int weeks, int silent) => weeks == 0
        ? options.ReportingWeight
        : Exact.Round(Exact.Mul(Exact.Of(options.ReportingWeight), new Fraction(weeks - silent, weeks)), 2);

    private List<MonthlyScore> Score(List<Part> parts, IReadOnlyList<MonthlyScore>? previous)
    {
        var subtotals = parts.Select(p => p.Subtotal).Distinct().ToList();
        decimal? lowest = subtotals.Count > 1 ? subtotals.Min() : null; // a whole group tied has no last place
        var scored = parts.Select(p =>
        {
            var last = p.Subtotal == lowest;
            var before = previous?.FirstOrDefault(s => s.Id == p.Unit.Id);
            var streak = last ? (before is { LastPlace: true } ? before.LastPlaceStreak : 0) + 1 : 0;
            var penalty = last ? Math.Min(options.MaxLastPlacePenalty, options.LastPlacePenalty * streak) : 0m;
            return (p, last, streak, penalty, total: Math.Max(0m, p.Subtotal - penalty));
        }).ToList();
        return Ranks.Assign(scored, (a, b) => b.total.CompareTo(a.total), s => s.p.Unit.Id)
            .Select(x => new MonthlyScore(x.Row.p.Unit.Id, x.Row.p.Unit.Name, x.Row.p.Ratio.ToDecimal(), x.Row.p.Expected.ToDecimal(),
                x.Row.p.Progress, x.Row.p.CasesCounted, x.Row.p.ChecksMet, x.Row.p.Cases, x.Row.p.Weeks, x.Row.p.SilentWeeks,
                x.Row.p.Reporting, x.Row.p.Subtotal, x.Row.last, x.Row.streak, x.Row.penalty, x.Row.total, x.Rank))
            .ToList();
    }

    private sealed record Part(NamedUnit Unit, Fraction Ratio, Fraction Expected, decimal Progress, int CasesCounted, int ChecksMet,
        decimal Cases, int Weeks, int SilentWeeks, decimal Reporting)
    {
        public decimal Subtotal => Progress + Cases + Reporting;
    }
}
