using System.Text.Json.Serialization;
using Minsheng.Domain.Forecasts;

namespace Minsheng.Domain.Progress;

// Forecast (issue 22): the rollup views (GET .../rollup, .../streets/{id}, .../departments/{id}, .../leaders/{id},
// .../projects/{id}) fill it on the view and on each of its parts, as of the view's instant (ForecastLookup); where the
// same records appear elsewhere (the stream's snapshot, a schedule answer, a weekly ranking) it is left out.

/// <summary>One assignment metric as dashboards list it.</summary>
public sealed record AssignmentView(
    string TaskId,
    string UnitId,
    string MetricId,
    long Target,
    long Completed,
    decimal Ratio,
    AssignmentStatus Status,
    bool Late,
    DateTimeOffset? LastReportAt,
    ScheduleSource ScheduleSource,
    long Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);

/// <summary>How many assignment metrics are in each status.</summary>
public sealed record StatusCounts(int Done, int OnTrack, int Lagging, int Overdue);

/// <summary>One metric of a task over all its assignments: Σ completed, Σ target, Σ min(completed, target) / Σ target.</summary>
public sealed record MetricRollup(string Id, long Target, long Completed, decimal Ratio,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);

public sealed record TaskRollup(string Id, decimal Ratio, IReadOnlyList<MetricRollup> Metrics,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);

public sealed record ProjectRollup(string Id, decimal Ratio, IReadOnlyList<TaskRollup> Tasks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);

/// <summary>The whole plan: <c>GET /api/v1/plans/{planId}/rollup</c>.</summary>
public sealed record PlanRollup(
    string PlanId,
    DateTimeOffset AsOf,
    decimal Ratio,
    StatusCounts Counts,
    IReadOnlyList<ProjectRollup> Projects,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);

/// <summary>A ratio of some id (a task of a department, a project of a leader).</summary>
public sealed record IdRatio(string Id, decimal Ratio,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);

public sealed record StreetView(string Id, string Name, decimal Ratio, StatusCounts Counts, IReadOnlyList<AssignmentView> Assignments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);

public sealed record DepartmentView(string Id, string Name, decimal Ratio, StatusCounts Counts, IReadOnlyList<IdRatio> Tasks, IReadOnlyList<AssignmentView> Assignments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);

public sealed record LeaderView(string Id, string Name, decimal Ratio, StatusCounts Counts, IReadOnlyList<IdRatio> Projects, IReadOnlyList<AssignmentView> Assignments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);

public sealed record ProjectView(string Id, string Name, decimal Ratio, StatusCounts Counts, IReadOnlyList<TaskRollup> Tasks, IReadOnlyList<AssignmentView> Assignments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Forecast? Forecast = null);
