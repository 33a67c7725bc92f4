using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Forecasts;

/// <summary>
/// A plan's forecasts (<see cref="PlanForecastView"/>) by part, for the rollup views to carry: each assignment metric,
/// task, project, street and department as the view has it, and the two it does not list, made the same way: a
/// metric of a task as the last of its assignments, a leader as the last of the leader's projects (like the ratios).
/// Built once per forecast view; reads are lookups.
/// </summary>
public sealed class ForecastLookup
{
    private readonly PlanIndex _plan;
    private readonly Dictionary<AssignmentKey, Forecast> _assignments;
    private readonly Dictionary<string, Forecast> _tasks;
    private readonly Dictionary<string, Forecast> _projects;
    private readonly Dictionary<string, Forecast> _streets;
    private readonly Dictionary<string, Forecast> _departments;

    public ForecastLookup(PlanIndex plan, PlanForecastView view)
    {
        _plan = plan;
        View = view;
        _assignments = view.Assignments.ToDictionary(a => new AssignmentKey(a.TaskId, a.UnitId, a.MetricId), a => a.Forecast);
        _tasks = ById(view.Tasks);
        _projects = ById(view.Projects);
        _streets = ById(view.Streets);
        _departments = ById(view.Departments);
    }

    /// <summary>The forecasts this lookup reads (what <c>GET .../forecasts</c> answers).</summary>
    public PlanForecastView View { get; }

    public Forecast Plan => View.Plan;

    public Forecast Assignment(AssignmentKey key) => _assignments[key];

    public Forecast Task(string taskId) => _tasks[taskId];

    public Forecast Project(string projectId) => _projects[projectId];

    public Forecast Street(string streetId) => _streets[streetId];

    public Forecast Department(string departmentId) => _departments[departmentId];

    /// <summary>A leader's projects: done when the last of them is.</summary>
    public Forecast Leader(string leaderId) => ForecastRules.OfParts(_plan.ProjectsOf(leaderId).Select(p => Project(p.Id)).ToList());

    /// <summary>One metric of a task over all its assignments: done when the last of them is.</summary>
    public Forecast Metric(PlanTask task, string metricId) => ForecastRules.OfParts(task.Assignments.Where(a => a.MetricId == metricId)
        .Select(a => Assignment(new AssignmentKey(task.Id, a.UnitId, a.MetricId))).ToList());

    private static Dictionary<string, Forecast> ById(IEnumerable<PartForecast> parts) =>
        parts.ToDictionary(p => p.Id, p => p.Forecast, StringComparer.Ordinal);
}
