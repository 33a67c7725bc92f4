using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain.Plans;

namespace Minsheng.Silo.Api;

/// <summary>The plans and their catalog (projects, tasks, assignments, units).</summary>
public static class CatalogApi
{
    /// <summary>One line of the plan list.</summary>
    public sealed record PlanSummary(string Id, string Title, int Year, DateOnly Start, DateTimeOffset Deadline, DateTimeOffset FinalDeadline);

    /// <summary>Maps <c>GET /api/v1/plans</c> and <c>GET /api/v1/plans/{planId}</c>.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans").WithTags("Catalog").ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapGet("/", ListPlans).WithName("ListPlans").WithSummary("列出调用方可访问的计划：office、viewer 为全部；单位角色为本区县的计划；地区角色为本地区的计划。");
        group.MapGet("/{planId}", GetPlan).WithName("GetPlan").WithSummary("一个计划的完整目录：项目、任务、分解任务与单位。")
            .ProducesProblems(404);
        return app;
    }

    /// <summary>Only the plans the caller may use (<see cref="Caller.MayUse"/>): a district's street never learns of other districts' plans.</summary>
    private static Ok<List<PlanSummary>> ListPlans(PlanCatalog catalog, Caller caller) => TypedResults.Ok(
        catalog.Plans.Select(p => p.Plan).Where(caller.MayUse)
            .Select(p => new PlanSummary(p.Id, p.Title, p.Year, p.Start, p.Deadline, p.FinalDeadline)).ToList());

    private static Results<Ok<Plan>, ProblemHttpResult> GetPlan(string planId, PlanCatalog catalog, HttpContext http) =>
        catalog.Find(planId) is not { } plan ? PlanNotFound(planId)
        : PlanRouteFilter.OutOfScope(http, plan.Plan) is { } refused ? refused
        : TypedResults.Ok(plan.Plan);

    internal static ProblemHttpResult PlanNotFound(string planId) => Problems.NotFound("planId", $"计划“{planId}”不存在");
}
