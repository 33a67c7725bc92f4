using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Reviews;

/// <summary>Builds the year-end 综合考评 input from the facts at the final deadline, the monthly evaluations and the cases.</summary>
public sealed class FinalEvaluator(PlanIndex plan, FinalEvaluationOptions options, decimal lagTolerance)
{
    private readonly PlanTimeline _timeline = PlanTimeline.Of(plan.Plan);

    /// <param name="factsAtFinalDeadline">Every fact as accepted up to the final deadline, none later.</param>
    /// <param name="months">The monthly evaluations of the year (each unit's totals are averaged).</param>
    /// <param name="cases">The plan's cases; closings after the final deadline do not count.</param>
    public FinalEvaluation Evaluate(IReadOnlyDictionary<AssignmentKey, ProgressFact> factsAtFinalDeadline,
        IReadOnlyList<MonthlyEvaluation> months, IEnumerable<SupervisionCase> cases)
    {
        var at = _timeline.FinalDeadline;
        var progress = new UnitProgress(plan, factsAtFinalDeadline, at, lagTolerance);
        var caseRecord = new CaseRecord(plan, _timeline, MonthlyEvaluationOptions.Default);
        var allCases = cases.Where(c => c.OpenedAt <= at).ToList();

        List<FinalRow> Rows(IEnumerable<(NamedUnit Unit, OwnerRef Ref)> units, Func<string, IEnumerable<AssignmentRef>> assignmentsOf, Func<MonthlyEvaluation, IReadOnlyList<MonthlyScore>> group)
        {
            var rows = units.Select(u =>
            {
                var (onTime, late, notDone) = Completion(progress, assignmentsOf(u.Unit.Id));
                var total = onTime + late + notDone;
                var completion = total == 0 ? Fraction.One
                    : Exact.Div(Exact.Add(Exact.Whole(onTime), Exact.Mul(Exact.Of(options.LateCredit), Exact.Whole(late))), Exact.Whole(total));
                var scores = months.SelectMany(m => group(m).Where(s => s.Id == u.Unit.Id)).Select(s => s.Total).ToList();
                Fraction? mean = scores.Count == 0 ? null : Fraction.Mean(scores.Select(Exact.Of));
                var unitCases = caseRecord.CasesOf(u.Ref, allCases).ToList();
                var closed = unitCases.Count(c => c.ClosedAt is { } t && t <= at);
                return (u.Unit, Ratio: progress.Ratio(u.Ref), onTime, late, notDone, completion, months: scores.Count, mean,
                    opened: unitCases.Count, closed);
            }).ToList();
            return Ranks.Assign(rows, (a, b) => Exact.Compare(b.completion, a.completion) is var c and not 0
                    ? c : Exact.Compare(b.mean ?? Fraction.Zero, a.mean ?? Fraction.Zero), r => r.Unit.Id)
                .Select(x => new FinalRow(x.Row.Unit.Id, x.Row.Unit.Name, x.Row.Ratio.ToDecimal(), x.Row.onTime + x.Row.late + x.Row.notDone,
                    x.Row.onTime, x.Row.late, x.Row.notDone, Exact.Round(x.Row.completion, 4), x.Row.months,
                    x.Row.mean is { } m ? Exact.Round(m, 2) : null, x.Row.opened, x.Row.closed, x.Row.opened - x.Row.closed, x.Rank))
                .ToList();
        }

        var streets = Rows(progress.Streets.Select(s => (s, new OwnerRef(OwnerKind.Street, s.Id))), plan.AssignmentsOfStreet, m => m.Streets);
        var departments = Rows(progress.LeadDepartments.Select(d => (d, new OwnerRef(OwnerKind.Department, d.Id))),
            d => plan.AssignmentsOf(plan.TasksLedBy(d)), m => m.Departments);
        return new FinalEvaluation(plan.Id, at, options, streets, departments);
    }

    /// <summary>
    /// Per (task, unit): done when every metric reached its target; its completion instant is the latest metric's
    /// <see cref="ProgressFact.DoneAt"/>. On time by the deadline, late by the final deadline, else not done.
    /// </summary>
    private (int OnTime, int Late, int NotDone) Completion(UnitProgress progress, IEnumerable<AssignmentRef> assignments)
    {
        int onTime = 0, late = 0, notDone = 0;
        foreach (var group in assignments.GroupBy(a => (a.Task.Id, a.Assignment.UnitId)))
        {
            var facts = group.Select(a => (a.Assignment, Fact: progress.Rollups.FactOf(a.Key))).ToList();
            var done = facts.All(f => f.Fact.Completed >= f.Assignment.Target);
            // A done fact without DoneAt (seeded, never reported) has no lateness to show: it counts as on time.
            var doneAt = done ? facts.Max(f => f.Fact.DoneAt ?? DateTimeOffset.MinValue) : (DateTimeOffset?)null;
            if (doneAt is { } t && t <= _timeline.Deadline) onTime++;
            else if (doneAt is { } u && u <= _timeline.FinalDeadline) late++;
            else notDone++;
        }
        return (onTime, late, notDone);
    }
}
