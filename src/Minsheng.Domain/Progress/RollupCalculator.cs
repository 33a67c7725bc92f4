using Minsheng.Domain.Forecasts;
using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Progress;

/// <summary>
/// Computes every ratio of the contract from a plan and the facts known about its assignments, exactly
/// (as fractions), rounding only the numbers it returns. Missing facts count as nothing done. Given the plan's
/// <paramref name="forecasts"/>, each view and each of its parts carries its forecast; without, none.
/// </summary>
public sealed class RollupCalculator(PlanIndex plan, IReadOnlyDictionary<AssignmentKey, ProgressFact> facts, DateTimeOffset now, decimal lagTolerance,
    ForecastLookup? forecasts = null)
{
    private readonly PlanTimeline _timeline = PlanTimeline.Of(plan.Plan);

    public ProgressFact FactOf(AssignmentKey key) => facts.GetValueOrDefault(key) ?? ProgressFact.Initial;

    /// <summary>Σ min(completed, target) / Σ target over a metric's assignments, then the mean over the task's metrics.</summary>
    public Fraction TaskRatio(PlanTask task) => Fraction.Mean(task.Metrics.Select(m => MetricRatio(task, m)));

    public Fraction ProjectRatio(Project project) => Fraction.Mean(plan.TasksOf(project).Select(TaskRatio));

    public Fraction PlanRatio() => Fraction.Mean(plan.Plan.Projects.Select(ProjectRatio));

    /// <summary>Mean over the metrics a unit has in a task of min(completed, target) / target.</summary>
    public Fraction AssignmentRatio(PlanTask task, string unitId) => Fraction.Mean(
        task.Assignments.Where(a => a.UnitId == unitId)
            .Select(a => Fraction.Capped(FactOf(new AssignmentKey(task.Id, unitId, a.MetricId)).Completed, a.Target)));

    /// <summary>Mean of the street's assignment ratios, one per task it has a share of.</summary>
    public Fraction StreetRatio(string streetId) => Fraction.Mean(
        plan.Plan.Tasks.Where(t => t.Assignments.Any(a => a.UnitId == streetId)).Select(t => AssignmentRatio(t, streetId)));

    public Fraction DepartmentRatio(string departmentId) => Fraction.Mean(plan.TasksLedBy(departmentId).Select(TaskRatio));

    public Fraction LeaderRatio(string leaderId) => Fraction.Mean(plan.ProjectsOf(leaderId).Select(ProjectRatio));

    public PlanRollup Plan()
    {
        var all = plan.AllAssignments.Select(View).ToList();
        return new PlanRollup(plan.Id, now, PlanRatio().ToDecimal(), Count(all), plan.Plan.Projects.Select(ProjectRollupOf).ToList(), forecasts?.Plan);
    }

    public StreetView Street(NamedUnit street)
    {
        var views = plan.AssignmentsOfStreet(street.Id).Select(View).ToList();
        return new StreetView(street.Id, street.Name, StreetRatio(street.Id).ToDecimal(), Count(views), views, forecasts?.Street(street.Id));
    }

    public DepartmentView Department(NamedUnit department)
    {
        var tasks = plan.TasksLedBy(department.Id).ToList();
        var views = plan.AssignmentsOf(tasks).Select(View).ToList();
        return new DepartmentView(department.Id, department.Name, DepartmentRatio(department.Id).ToDecimal(), Count(views),
            tasks.Select(t => new IdRatio(t.Id, TaskRatio(t).ToDecimal(), forecasts?.Task(t.Id))).ToList(), views, forecasts?.Department(department.Id));
    }

    public LeaderView Leader(NamedUnit leader)
    {
        var projects = plan.ProjectsOf(leader.Id).ToList();
        var views = plan.AssignmentsOf(projects.SelectMany(plan.TasksOf)).Select(View).ToList();
        return new LeaderView(leader.Id, leader.Name, LeaderRatio(leader.Id).ToDecimal(), Count(views),
            projects.Select(p => new IdRatio(p.Id, ProjectRatio(p).ToDecimal(), forecasts?.Project(p.Id))).ToList(), views, forecasts?.Leader(leader.Id));
    }

    public ProjectView Project(Project project)
    {
        var views = plan.AssignmentsOf(plan.TasksOf(project)).Select(View).ToList();
        return new ProjectView(project.Id, project.Name, ProjectRatio(project).ToDecimal(), Count(views),
            plan.TasksOf(project).Select(TaskRollupOf).ToList(), views, forecasts?.Project(project.Id));
    }

    public AssignmentView View(AssignmentRef a)
    {
        var fact = FactOf(a.Key);
        var verdict = StatusRules.Evaluate(_timeline, a.Assignment.Target, fact, now, lagTolerance);
        return new AssignmentView(
            a.Task.Id, a.Assignment.UnitId, a.Assignment.MetricId, a.Assignment.Target, fact.Completed,
            Fraction.Capped(fact.Completed, a.Assignment.Target).ToDecimal(), verdict.Status, verdict.Late,
            fact.LastReportAt, fact.Milestones is { Count: > 0 } ? ScheduleSource.Custom : ScheduleSource.Default, fact.Version,
            forecasts?.Assignment(a.Key));
    }

    private Fraction MetricRatio(PlanTask task, Metric metric)
    {
        long capped = 0, target = 0;
        foreach (var a in task.Assignments.Where(a => a.MetricId == metric.Id))
        {
            capped += Math.Min(FactOf(new AssignmentKey(task.Id, a.UnitId, a.MetricId)).Completed, a.Target);
            target += a.Target;
        }
        return target == 0 ? Fraction.Zero : new Fraction(capped, target);
    }

    private TaskRollup TaskRollupOf(PlanTask task) => new(
        task.Id,
        TaskRatio(task).ToDecimal(),
        task.Metrics.Select(m => new MetricRollup(
            m.Id,
            task.Assignments.Where(a => a.MetricId == m.Id).Sum(a => a.Target),
            task.Assignments.Where(a => a.MetricId == m.Id).Sum(a => FactOf(new AssignmentKey(task.Id, a.UnitId, m.Id)).Completed),
            MetricRatio(task, m).ToDecimal(),
            forecasts?.Metric(task, m.Id))).ToList(),
        forecasts?.Task(task.Id));

    private ProjectRollup ProjectRollupOf(Project project) =>
        new(project.Id, ProjectRatio(project).ToDecimal(), plan.TasksOf(project).Select(TaskRollupOf).ToList(), forecasts?.Project(project.Id));

    private static StatusCounts Count(IReadOnlyCollection<AssignmentView> views) => new(
        views.Count(v => v.Status == AssignmentStatus.Done),
        views.Count(v => v.Status == AssignmentStatus.OnTrack),
        views.Count(v => v.Status == AssignmentStatus.Lagging),
        views.Count(v => v.Status == AssignmentStatus.Overdue));
}
