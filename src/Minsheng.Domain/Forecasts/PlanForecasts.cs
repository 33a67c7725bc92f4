using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Forecasts;

/// <summary>The forecast of one assignment metric, with the numbers it was made from.</summary>
public sealed record AssignmentForecast(string TaskId, string UnitId, string MetricId, long Target, long Completed, Forecast Forecast);

/// <summary>The forecast of a task, project, street or department (by id, with its name where it has one).</summary>
public sealed record PartForecast(string Id, string? Name, Forecast Forecast);

/// <summary>
/// Every forecast of a plan at an instant: the plan, its projects, tasks, streets and departments, each assignment
/// metric, and the ones at risk (expected after the deadline, or not at all at their pace): those that will not finish
/// at their pace first, then by expected instant.
/// </summary>
public sealed record PlanForecastView(
    string PlanId,
    DateTimeOffset AsOf,
    Forecast Plan,
    IReadOnlyList<PartForecast> Projects,
    IReadOnlyList<PartForecast> Tasks,
    IReadOnlyList<PartForecast> Streets,
    IReadOnlyList<PartForecast> Departments,
    IReadOnlyList<AssignmentForecast> Assignments,
    IReadOnlyList<AssignmentForecast> AtRisk);

/// <summary>
/// Builds a plan's forecasts from its facts now and at the start of the recent window (<see cref="ForecastRules"/>):
/// each assignment metric on its own; an assignment, task, street and department as the last of their metrics; a
/// project as the last of its tasks; the plan as the last of its projects (the same parts the ratios are made of).
/// </summary>
public static class PlanForecasts
{
    public static PlanForecastView Of(PlanIndex plan, IReadOnlyDictionary<AssignmentKey, ProgressFact> now,
        IReadOnlyDictionary<AssignmentKey, ProgressFact> windowStart, DateTimeOffset at)
    {
        var timeline = PlanTimeline.Of(plan.Plan);
        at = at.ToOffset(timeline.Offset);
        var metrics = new Dictionary<AssignmentKey, AssignmentForecast>();
        foreach (var a in plan.AllAssignments)
        {
            var fact = now.GetValueOrDefault(a.Key) ?? ProgressFact.Initial;
            long? start = windowStart.TryGetValue(a.Key, out var then) && then.LastReportAt is not null ? then.Completed : null;
            var input = new ForecastInput(a.Assignment.Target, fact.Completed, fact.LastReportAt is not null, fact.DoneAt, start);
            metrics[a.Key] = new AssignmentForecast(a.Key.TaskId, a.Key.UnitId, a.Key.MetricId, a.Assignment.Target, fact.Completed,
                ForecastRules.Of(input, timeline, at));
        }

        Forecast Last(IEnumerable<AssignmentRef> refs) => ForecastRules.OfParts(refs.Select(r => metrics[r.Key].Forecast).ToList());
        var tasks = plan.Plan.Tasks.Select(t => new PartForecast(t.Id, null, Last(plan.AssignmentsOf([t])))).ToList();
        var byTask = tasks.ToDictionary(t => t.Id, t => t.Forecast);
        var projects = plan.Plan.Projects.Select(p => new PartForecast(p.Id, p.Name,
            ForecastRules.OfParts(p.Tasks.Select(t => byTask[t]).ToList()))).ToList();
        var streets = plan.Plan.Streets.Select(s => new PartForecast(s.Id, s.Name, Last(plan.AssignmentsOfStreet(s.Id)))).ToList();
        var departments = plan.Plan.Departments.Select(d => new PartForecast(d.Id, d.Name,
            ForecastRules.OfParts(plan.TasksLedBy(d.Id).Select(t => byTask[t.Id]).ToList()))).ToList();
        var all = plan.AllAssignments.Select(a => metrics[a.Key]).ToList();
        var atRisk = all.Where(m => m.Forecast.AtRisk)
            .OrderBy(m => m.Forecast.ExpectedDoneAt ?? DateTimeOffset.MinValue).ThenBy(m => m.TaskId, StringComparer.Ordinal)
            .ThenBy(m => m.UnitId, StringComparer.Ordinal).ThenBy(m => m.MetricId, StringComparer.Ordinal).ToList();
        return new PlanForecastView(plan.Id, at, ForecastRules.OfParts(projects.Select(p => p.Forecast).ToList()), projects, tasks, streets,
            departments, all, atRisk);
    }
}
