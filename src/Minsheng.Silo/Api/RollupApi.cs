using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains;
using Minsheng.Grains.Messages;
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

    private static async Task<IResult> GetPlanRollup(string planId, RollupReader reader) =>
        await reader.Read(planId, g => g.GetGrain<IPlanGrain>(planId).GetFacts(), (calc, _) => calc.Plan());

    private static async Task<IResult> GetStreet(string planId, string streetId, RollupReader reader) =>
        reader.Catalog.Find(planId)?.FindStreet(streetId) is { } street
            ? await reader.Read(planId, g => g.GetGrain<IStreetGrain>(GrainKeys.Of(planId, streetId)).GetOwnFacts(), (c, _) => c.Street(street))
            : Unknown(reader, planId, "streetId", streetId, "街道");

    private static async Task<IResult> GetDepartment(string planId, string departmentId, RollupReader reader) =>
        reader.Catalog.Find(planId)?.FindDepartment(departmentId) is { } department
            ? await reader.Read(planId, g => g.GetGrain<IDepartmentGrain>(GrainKeys.Of(planId, departmentId)).GetFacts(), (c, _) => c.Department(department))
            : Unknown(reader, planId, "departmentId", departmentId, "部门");

    private static async Task<IResult> GetLeader(string planId, string leaderId, RollupReader reader) =>
        reader.Catalog.Find(planId)?.FindLeader(leaderId) is { } leader
            ? await reader.Read(planId, g => g.GetGrain<ILeaderGrain>(GrainKeys.Of(planId, leaderId)).GetFacts(), (c, _) => c.Leader(leader))
            : Unknown(reader, planId, "leaderId", leaderId, "区领导");

    private static async Task<IResult> GetProject(string planId, string projectId, RollupReader reader) =>
        reader.Catalog.Find(planId)?.FindProject(projectId) is { } project
            ? await reader.Read(planId, g => g.GetGrain<IProjectGrain>(GrainKeys.Of(planId, projectId)).GetFacts(), (c, _) => c.Project(project))
            : Unknown(reader, planId, "projectId", projectId, "项目");

    private static async Task<IResult> GetHistory(string planId, string taskId, string unitId, RollupReader reader, Minsheng.Silo.Audit.IAuditLog audit,
        CancellationToken cancellationToken)
    {
        if (reader.Catalog.Find(planId) is not { } plan) return CatalogApi.PlanNotFound(planId);
        if (plan.FindTask(taskId) is not { } task) return Problems.NotFound("taskId", $"任务“{taskId}”不存在");
        if (task.Assignments.All(a => a.UnitId != unitId))
            return Problems.NotFound("unitId", $"单位“{unitId}”在任务 {taskId} 中没有分解任务");
        return TypedResults.Ok(await audit.History(planId, taskId, unitId, cancellationToken));
    }

    private static IResult Unknown(RollupReader reader, string planId, string field, string id, string what) =>
        reader.Catalog.Find(planId) is null ? CatalogApi.PlanNotFound(planId) : Problems.NotFound(field, $"{what}“{id}”不存在");
}

/// <summary>Reads facts from a grain and computes a view of them at the business clock's now.</summary>
public sealed class RollupReader(PlanCatalog catalog, IGrainFactory grains, Minsheng.Grains.BusinessClock clock, IOptions<SupervisionOptions> supervision)
{
    public PlanCatalog Catalog => catalog;

    public IGrainFactory Grains => grains;

    public async Task<IResult> Read<T>(string planId, Func<IGrainFactory, Task<IReadOnlyList<FactUpdate>>> facts,
        Func<RollupCalculator, PlanIndex, T> view)
    {
        if (catalog.Find(planId) is not { } plan) return CatalogApi.PlanNotFound(planId);
        var calculator = Calculator(plan, await facts(grains));
        return TypedResults.Ok(view(calculator, plan));
    }

    public RollupCalculator Calculator(PlanIndex plan, IReadOnlyList<FactUpdate> facts) =>
        new(plan, facts.ToFactMap(), clock.GetUtcNow().ToOffset(plan.Plan.Deadline.Offset), supervision.Value.LagTolerance);
}
