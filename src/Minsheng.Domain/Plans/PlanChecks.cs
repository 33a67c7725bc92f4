using System.Globalization;

namespace Minsheng.Domain.Plans;

/// <summary>
/// The rules behind <see cref="PlanValidator"/>, run once over one plan. Written defensively: a plan built in
/// code may hold nulls its type does not admit, and each must become a problem, not a crash.
/// </summary>
internal sealed class PlanChecks(Plan plan)
{
    private readonly List<string> problems = [];
    private readonly HashSet<string> streets = new(StringComparer.Ordinal);
    private readonly HashSet<string> departments = new(StringComparer.Ordinal);
    private readonly HashSet<string> leaders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Project> projects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlanTask> tasks = new(StringComparer.Ordinal);

    /// <summary>Runs every rule and returns the problems found.</summary>
    public List<string> Run()
    {
        CheckPlanFields();
        CheckUnits("street", plan.Streets, streets);
        CheckUnits("department", plan.Departments, departments);
        CheckUnits("leader", plan.Leaders, leaders);
        if (streets.Contains(PlanUnits.District))
        {
            problems.Add($"street {PlanUnits.District}: the id is reserved for the district level (区本级)");
        }

        // Index both first: projects and tasks refer to each other.
        var projectList = Index("project", plan.Projects, p => p.Id, projects);
        var taskList = Index("task", plan.Tasks, t => t.Id, tasks);
        projectList.ForEach(p => CheckProject(Place("project", p.Item.Id, p.Index), p.Item));
        taskList.ForEach(t => CheckTask(Place("task", t.Item.Id, t.Index), t.Item));
        return problems;
    }

    private void CheckPlanFields()
    {
        Require("plan", "id", plan.Id);
        Require($"plan {plan.Id}", "title", plan.Title);
        if (plan.Year <= 0)
        {
            problems.Add($"plan {plan.Id}: year {plan.Year} is not a year");
        }

        // The start is a day; it is before the deadline if its first moment, where the deadline is, is before it.
        var start = new DateTimeOffset(plan.Start.ToDateTime(TimeOnly.MinValue), plan.Deadline.Offset);
        if (start >= plan.Deadline)
        {
            problems.Add($"plan {plan.Id}: start {Format(plan.Start)} is not before deadline {Format(plan.Deadline)}");
        }

        if (plan.Deadline > plan.FinalDeadline)
        {
            problems.Add($"plan {plan.Id}: deadline {Format(plan.Deadline)} is after final deadline {Format(plan.FinalDeadline)}");
        }
    }

    private void CheckUnits(string kind, IReadOnlyList<NamedUnit>? units, HashSet<string> ids)
    {
        foreach (var (unit, i) in Present(kind, units))
        {
            var place = Place(kind, unit.Id, i);
            if (Require(place, "id", unit.Id) && !ids.Add(unit.Id))
            {
                problems.Add($"{place}: id is used twice");
            }

            Require(place, "name", unit.Name);
        }
    }

    private List<(T Item, int Index)> Index<T>(string kind, IReadOnlyList<T>? items, Func<T, string?> id, Dictionary<string, T> index)
        where T : class
    {
        var present = Present(kind, items).ToList();
        foreach (var (item, i) in present)
        {
            var place = Place(kind, id(item), i);
            if (Require(place, "id", id(item)) && !index.TryAdd(id(item)!, item))
            {
                problems.Add($"{place}: id is used twice");
            }
        }

        return present;
    }

    private void CheckProject(string place, Project project)
    {
        Require(place, "name", project.Name);
        Require(place, "summary", project.Summary);
        CheckReferences(place, "leader", project.Leaders, leaders);
        CheckReferences(place, "lead department", project.LeadDepartments, departments);
        if (project.ResponsibleUnits is null)
        {
            problems.Add($"{place}: responsibleUnits is missing");
        }
        else if (project.ResponsibleUnits.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{place}: a responsible unit is empty");
        }

        foreach (var taskId in Listed(place, "task", project.Tasks))
        {
            if (!tasks.TryGetValue(taskId, out var task))
            {
                problems.Add($"{place}: task {taskId} is not a task of the plan");
            }
            else if (task.ProjectId != project.Id)
            {
                problems.Add($"{place}: task {taskId} belongs to project {task.ProjectId}");
            }
        }
    }

    private void CheckTask(string place, PlanTask task)
    {
        if (Require(place, "projectId", task.ProjectId))
        {
            if (!projects.TryGetValue(task.ProjectId, out var project))
            {
                problems.Add($"{place}: project {task.ProjectId} is not a project of the plan");
            }
            else if (project.Tasks is not null && !project.Tasks.Contains(task.Id))
            {
                problems.Add($"{place}: project {task.ProjectId} does not list it among its tasks");
            }
        }

        Require(place, "title", task.Title);
        if (Require(place, "leadDepartment", task.LeadDepartment) && !departments.Contains(task.LeadDepartment))
        {
            problems.Add($"{place}: lead department {task.LeadDepartment} is not a department of the plan");
        }

        var metrics = CheckMetrics(place, task.Metrics);
        CheckAssignments(place, task.Assignments, metrics);
    }

    private Dictionary<string, Metric> CheckMetrics(string place, IReadOnlyList<Metric>? metrics)
    {
        var byId = new Dictionary<string, Metric>(StringComparer.Ordinal);
        foreach (var (metric, i) in Present($"{place}: metric", metrics))
        {
            var metricPlace = $"{place} {Place("metric", metric.Id, i)}";
            if (Require(metricPlace, "id", metric.Id) && !byId.TryAdd(metric.Id, metric))
            {
                problems.Add($"{metricPlace}: id is used twice in the task");
            }

            Require(metricPlace, "name", metric.Name);
            Require(metricPlace, "unit", metric.Unit);
            RequirePositive(metricPlace, metric.Target);
        }

        return byId;
    }

    private void CheckAssignments(string place, IReadOnlyList<Assignment>? assignments, Dictionary<string, Metric> metrics)
    {
        var present = Present($"{place}: assignment", assignments).Select(p => p.Item).ToList();
        var seen = new HashSet<(string, string)>();
        foreach (var assignment in present)
        {
            var assignmentPlace = $"{place} assignment {assignment.UnitId}/{assignment.MetricId}";
            if (Require(assignmentPlace, "unitId", assignment.UnitId)
                && assignment.UnitId != PlanUnits.District && !streets.Contains(assignment.UnitId))
            {
                problems.Add($"{assignmentPlace}: unit {assignment.UnitId} is neither {PlanUnits.District} nor a street of the plan");
            }

            if (Require(assignmentPlace, "metricId", assignment.MetricId) && !metrics.ContainsKey(assignment.MetricId))
            {
                problems.Add($"{assignmentPlace}: metric {assignment.MetricId} is not a metric of the task");
            }

            RequirePositive(assignmentPlace, assignment.Target);
            if (!seen.Add((assignment.UnitId, assignment.MetricId)))
            {
                problems.Add($"{assignmentPlace}: the unit has this metric twice");
            }
        }

        foreach (var metric in metrics.Values)
        {
            // Int128: a hand-edited file may hold targets whose sum overflows a long.
            var sum = present.Where(a => a.MetricId == metric.Id).Aggregate(Int128.Zero, (total, a) => total + a.Target);
            if (sum != metric.Target)
            {
                problems.Add($"{place} metric {metric.Id}: title states {metric.Target}, assignments sum to {sum}");
            }
        }
    }

    private void CheckReferences(string place, string kind, IReadOnlyList<string>? ids, HashSet<string> known)
    {
        foreach (var id in Listed(place, kind, ids).Where(id => !known.Contains(id)))
        {
            problems.Add($"{place}: {kind} {id} is not a {kind} of the plan");
        }
    }

    // The non-empty, distinct ids of a list that must not be empty.
    private List<string> Listed(string place, string kind, IReadOnlyList<string>? ids)
    {
        var listed = new List<string>();
        foreach (var (id, i) in Present($"{place}: {kind}", ids))
        {
            if (!Require(place, $"{kind} #{i + 1}", id))
            {
                continue;
            }

            if (listed.Contains(id))
            {
                problems.Add($"{place}: {kind} {id} is listed twice");
            }
            else
            {
                listed.Add(id);
            }
        }

        return listed;
    }

    // The list's non-null items with their index; a missing or empty list and null items are problems.
    private IEnumerable<(T Item, int Index)> Present<T>(string kind, IReadOnlyList<T>? items)
        where T : class
    {
        if (items is null || items.Count == 0)
        {
            problems.Add($"{kind}s: missing or empty");
            return [];
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                problems.Add($"{kind} #{i + 1}: missing");
            }
        }

        return items.Select((item, i) => (item, i)).Where(p => p.item is not null).ToList();
    }

    private bool Require(string place, string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        problems.Add($"{place}: {field} is missing or empty");
        return false;
    }

    private void RequirePositive(string place, long target)
    {
        if (target <= 0)
        {
            problems.Add($"{place}: target {target} is not positive");
        }
    }

    private static string Place(string kind, string? id, int index) =>
        string.IsNullOrWhiteSpace(id) ? $"{kind} #{index + 1}" : $"{kind} {id}";

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Format(DateTimeOffset moment) => moment.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
}
