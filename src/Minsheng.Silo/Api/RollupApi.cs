using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;
using Microsoft.Extensions.Options;

namespace Minsheng.Silo.Api;

/// <summary>Rollups of the plan, its streets, departments, leaders and projects, and assignment history.</summary>
public static class RollupApi
{
    public static IEndpointRouteBuilder MapRollupApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Rollups");
        group.MapGet("/rollup", GetPlanRollup).WithName("GetPlanRollup");
        group.MapGet("/streets/{streetId}", GetStreet).WithName("GetStreet");
        group.MapGet("/departments/{departmentId}", GetDepartment).WithName("GetDepartment");
        group.MapGet("/leaders/{leaderId}", GetLeader).WithName("GetLeader");
        group.MapGet("/projects/{projectId}", GetProject).WithName("GetProject");
        group.MapGet("/assignments/{taskId}/{unitId}/history", GetHistory).WithName("GetAssignmentHistory");
        return app;
    }

    // Every view takes ?asOf={instant}: the same view computed from the report log's rows accepted by then.

    private static async Task<IResult> GetPlanRollup(string planId, string? asOf, RollupReader reader) =>
        await reader.ReadAggregate(planId, asOf, reader.Grains.GetGrain<IPlanGrain>(planId), (calc, _) => calc.Plan());

    private static async Task<IResult> GetStreet(string planId, string streetId, string? asOf, RollupReader reader) =>
        reader.Catalog.Find(planId)?.FindStreet(streetId) is { } street
            ? await reader.Read(planId, asOf, g => g.GetGrain<IStreetGrain>(GrainKeys.Of(planId, streetId)).GetOwnFacts(), (c, _) => c.Street(street))
            : Unknown(reader, planId, "streetId", streetId, "街道");

    private static async Task<IResult> GetDepartment(string planId, string departmentId, string? asOf, RollupReader reader) =>
        reader.Catalog.Find(planId)?.FindDepartment(departmentId) is { } department
            ? await reader.ReadAggregate(planId, asOf, reader.Grains.GetGrain<IDepartmentGrain>(GrainKeys.Of(planId, departmentId)), (c, _) => c.Department(department))
            : Unknown(reader, planId, "departmentId", departmentId, "部门");

    private static async Task<IResult> GetLeader(string planId, string leaderId, string? asOf, RollupReader reader) =>
        reader.Catalog.Find(planId)?.FindLeader(leaderId) is { } leader
            ? await reader.ReadAggregate(planId, asOf, reader.Grains.GetGrain<ILeaderGrain>(GrainKeys.Of(planId, leaderId)), (c, _) => c.Leader(leader))
            : Unknown(reader, planId, "leaderId", leaderId, "区领导");

    private static async Task<IResult> GetProject(string planId, string projectId, string? asOf, RollupReader reader) =>
        reader.Catalog.Find(planId)?.FindProject(projectId) is { } project
            ? await reader.ReadAggregate(planId, asOf, reader.Grains.GetGrain<IProjectGrain>(GrainKeys.Of(planId, projectId)), (c, _) => c.Project(project))
            : Unknown(reader, planId, "projectId", projectId, "项目");

    private static async Task<IResult> GetHistory(string planId, string taskId, string unitId, RollupReader reader, Minsheng.Grains.ReportLog.IReportLog log)
    {
        if (reader.Catalog.Find(planId) is not { } plan) return CatalogApi.PlanNotFound(planId);
        if (plan.FindTask(taskId) is not { } task) return Problems.NotFound("taskId", $"任务“{taskId}”不存在");
        if (task.Assignments.All(a => a.UnitId != unitId))
            return Problems.NotFound("unitId", $"单位“{unitId}”在任务 {taskId} 中没有分解任务");
        // The report log is the history: each line is the row that made its count, in acceptance order.
        return TypedResults.Ok((await log.ReadAssignment(planId, taskId, unitId)).Select(r => r.ToHistory()).ToList());
    }

    private static IResult Unknown(RollupReader reader, string planId, string field, string id, string what) =>
        reader.Catalog.Find(planId) is null ? CatalogApi.PlanNotFound(planId) : Problems.NotFound(field, $"{what}“{id}”不存在");
}

/// <summary>
/// Reads facts and computes a view of them: now, from the grains' rollups at the business clock's now; or as of an
/// instant, from the report log's rows accepted by then, judged at that instant.
/// </summary>
public sealed class RollupReader(PlanCatalog catalog, IGrainFactory grains, Minsheng.Grains.BusinessClock clock, IOptions<SupervisionOptions> supervision,
    Minsheng.Grains.ReportLog.IReportLog log, Minsheng.Domain.Limits.InstantWindow window, RollupCache cache)
{
    /// <summary>A view of an aggregate: now, from the view cached for its revision; as of an instant, from the log.</summary>
    public async Task<IResult> ReadAggregate<T>(string planId, string? asOf, IProgressAggregate aggregate, Func<RollupCalculator, PlanIndex, T> view)
        where T : notnull
    {
        if (asOf is not null) return await Read(planId, asOf, _ => aggregate.GetFacts(), view);
        if (catalog.Find(planId) is not { } plan) return CatalogApi.PlanNotFound(planId);
        var now = clock.GetUtcNow().ToOffset(plan.Plan.Deadline.Offset);
        var result = await cache.Get(aggregate.GetGrainId().ToString(), aggregate, now, (facts, at) =>
            view(new RollupCalculator(plan, facts.ToFactMap(), at, supervision.Value.LagTolerance), plan));
        return TypedResults.Ok(result);
    }

    public PlanCatalog Catalog => catalog;

    public IGrainFactory Grains => grains;

    public async Task<IResult> Read<T>(string planId, string? asOf, Func<IGrainFactory, Task<IReadOnlyList<FactUpdate>>> facts,
        Func<RollupCalculator, PlanIndex, T> view)
    {
        if (catalog.Find(planId) is not { } plan) return CatalogApi.PlanNotFound(planId);
        if (asOf is null) return TypedResults.Ok(view(Calculator(plan, await facts(grains)), plan));
        if (Instants.Parse(asOf) is not { } at) return Problems.Result(400, "asOf", "须为带时区的 ISO 8601 时间，如 2024-07-01T00:00:00+08:00");
        if (!window.Contains(at)) return Problems.Result(400, "asOf", $"须在计划时间范围（{window.Describe()}）之内");
        var rows = await log.ReadPlan(planId, at);
        var latest = FactTimeline.Latest(rows.Select(r => (r.TaskId, r.UnitId, r.MetricId, r.ToUpdate())));
        var calculator = new RollupCalculator(plan, latest.ToFactMap(), at.ToOffset(plan.Plan.Deadline.Offset), supervision.Value.LagTolerance);
        return TypedResults.Ok(view(calculator, plan));
    }

    public RollupCalculator Calculator(PlanIndex plan, IReadOnlyList<FactUpdate> facts) =>
        new(plan, facts.ToFactMap(), clock.GetUtcNow().ToOffset(plan.Plan.Deadline.Offset), supervision.Value.LagTolerance);
}
