using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// A street's or a lead department's ratio and its 序时进度 (the share due by an instant) computed the same way, so
/// the two compare: the ratio is the contract's (<see cref="RollupCalculator"/>), and 序时进度 replaces each
/// completed count by the count due from the assignment's schedule (倒排计划) or the default linear one, capped at
/// the target. Street: mean over its tasks of the mean over its metrics of due / target. Department: mean over the
/// tasks it leads of the mean over their metrics of Σ due / Σ target.
/// </summary>
public sealed class UnitProgress(PlanIndex plan, IReadOnlyDictionary<AssignmentKey, ProgressFact> facts, DateTimeOffset at, decimal lagTolerance)
{
    private readonly PlanTimeline _timeline = PlanTimeline.Of(plan.Plan);

    /// <summary>The rollups at the same instant, over the same facts.</summary>
    public RollupCalculator Rollups { get; } = new(plan, facts, at, lagTolerance);

    public DateTimeOffset At => at;

    /// <summary>The streets with at least one assignment, in plan order.</summary>
    public IEnumerable<NamedUnit> Streets => plan.Plan.Streets.Where(s => plan.AssignmentsOfStreet(s.Id).Any());

    /// <summary>The departments that lead at least one task, in plan order.</summary>
    public IEnumerable<NamedUnit> LeadDepartments => plan.Plan.Departments.Where(d => plan.TasksLedBy(d.Id).Any());

    public Fraction Ratio(OwnerRef unit) => unit.Kind == OwnerKind.Street
        ? Rollups.StreetRatio(unit.Id)
        : Rollups.DepartmentRatio(unit.Id);

    public Fraction Expected(OwnerRef unit) => unit.Kind == OwnerKind.Street ? StreetExpected(unit.Id) : DepartmentExpected(unit.Id);

    /// <summary>The count due on one assignment metric by the instant, capped at its target.</summary>
    public Fraction DueCount(PlanTask task, Assignment a)
    {
        var fact = Rollups.FactOf(new AssignmentKey(task.Id, a.UnitId, a.MetricId));
        return Exact.Min(ScheduleRules.Expected(_timeline, a.Target, fact.Milestones, at), Exact.Whole(a.Target));
    }

    public Fraction StreetExpected(string streetId) => Fraction.Mean(
        plan.Plan.Tasks.Where(t => t.Assignments.Any(a => a.UnitId == streetId))
            .Select(t => Fraction.Mean(t.Assignments.Where(a => a.UnitId == streetId).Select(a => Exact.Div(DueCount(t, a), Exact.Whole(a.Target))))));

    public Fraction DepartmentExpected(string departmentId) => Fraction.Mean(plan.TasksLedBy(departmentId).Select(TaskExpected));

    private Fraction TaskExpected(PlanTask task) => Fraction.Mean(task.Metrics.Select(m =>
    {
        var assignments = task.Assignments.Where(a => a.MetricId == m.Id).ToList();
        var target = assignments.Sum(a => a.Target);
        if (target == 0) return Fraction.Zero;
        var due = Fraction.Zero;
        foreach (var a in assignments) due += DueCount(task, a);
        return due / target;
    }));
}
