namespace Minsheng.Domain.Plans;

/// <summary>
/// Look-ups over one validated plan: which tasks a department leads, which assignments a unit owns,
/// which projects name a leader. Built once per plan at start; immutable afterwards.
/// </summary>
public sealed class PlanIndex
{
    private readonly Dictionary<string, PlanTask> _tasks;
    private readonly Dictionary<string, Project> _projects;
    private readonly Dictionary<string, NamedUnit> _streets;
    private readonly Dictionary<string, NamedUnit> _departments;
    private readonly Dictionary<string, NamedUnit> _leaders;

    public PlanIndex(Plan plan)
    {
        Plan = plan;
        _tasks = plan.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        _projects = plan.Projects.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _streets = plan.Streets.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _departments = plan.Departments.ToDictionary(d => d.Id, StringComparer.Ordinal);
        _leaders = plan.Leaders.ToDictionary(l => l.Id, StringComparer.Ordinal);
        AllAssignments = plan.Tasks
            .SelectMany(t => t.Assignments.Select(a => new AssignmentRef(t, a)))
            .ToArray();
    }

    public Plan Plan { get; }

    public string Id => Plan.Id;

    /// <summary>Every (task, unit, metric) assignment of the plan, in plan order.</summary>
    public IReadOnlyList<AssignmentRef> AllAssignments { get; }

    public PlanTask? FindTask(string taskId) => _tasks.GetValueOrDefault(taskId);

    public Project? FindProject(string projectId) => _projects.GetValueOrDefault(projectId);

    public NamedUnit? FindStreet(string streetId) => _streets.GetValueOrDefault(streetId);

    public NamedUnit? FindDepartment(string departmentId) => _departments.GetValueOrDefault(departmentId);

    public NamedUnit? FindLeader(string leaderId) => _leaders.GetValueOrDefault(leaderId);

    public bool IsStreet(string unitId) => _streets.ContainsKey(unitId);

    public bool IsDepartment(string departmentId) => _departments.ContainsKey(departmentId);

    public PlanTask Task(string taskId) => _tasks[taskId];

    public Project Project(string projectId) => _projects[projectId];

    /// <summary>The tasks a department leads (牵头), in plan order.</summary>
    public IEnumerable<PlanTask> TasksLedBy(string departmentId) =>
        Plan.Tasks.Where(t => t.LeadDepartment == departmentId);

    /// <summary>The projects that name a leader as 分管区领导, in plan order.</summary>
    public IEnumerable<Project> ProjectsOf(string leaderId) =>
        Plan.Projects.Where(p => p.Leaders.Contains(leaderId));

    /// <summary>The tasks of a project, in plan order.</summary>
    public IEnumerable<PlanTask> TasksOf(Project project) => project.Tasks.Select(Task);

    /// <summary>A street's own assignments.</summary>
    public IEnumerable<AssignmentRef> AssignmentsOfStreet(string streetId) =>
        AllAssignments.Where(a => a.Assignment.UnitId == streetId);

    /// <summary>The district-level (区本级) assignments a department owns: those of the tasks it leads.</summary>
    public IEnumerable<AssignmentRef> DistrictAssignmentsOf(string departmentId) =>
        AllAssignments.Where(a => a.Assignment.UnitId == PlanUnits.District && a.Task.LeadDepartment == departmentId);

    /// <summary>All assignments (district and streets) of the given tasks.</summary>
    public IEnumerable<AssignmentRef> AssignmentsOf(IEnumerable<PlanTask> tasks)
    {
        var ids = tasks.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        return AllAssignments.Where(a => ids.Contains(a.Task.Id));
    }

    public AssignmentRef? FindAssignment(string taskId, string unitId, string metricId) =>
        FindTask(taskId) is { } task && task.Assignments.FirstOrDefault(a => a.UnitId == unitId && a.MetricId == metricId) is { } a
            ? new AssignmentRef(task, a)
            : null;

    /// <summary>
    /// The unit that owns an assignment's facts: the street itself, or for the district level the task's lead department.
    /// </summary>
    public static OwnerRef OwnerOf(PlanTask task, string unitId) =>
        unitId == PlanUnits.District ? new OwnerRef(OwnerKind.Department, task.LeadDepartment) : new OwnerRef(OwnerKind.Street, unitId);
}

/// <summary>An assignment together with its task.</summary>
public readonly record struct AssignmentRef(PlanTask Task, Assignment Assignment)
{
    public AssignmentKey Key => new(Task.Id, Assignment.UnitId, Assignment.MetricId);
}

/// <summary>Who owns the facts of an assignment.</summary>
public enum OwnerKind { Street, Department }

/// <summary>A street or a department that owns assignments.</summary>
public readonly record struct OwnerRef(OwnerKind Kind, string Id);

/// <summary>Identifies one assignment: (task, unit, metric).</summary>
public readonly record struct AssignmentKey(string TaskId, string UnitId, string MetricId)
{
    public override string ToString() => $"{TaskId}/{UnitId}/{MetricId}";
}
