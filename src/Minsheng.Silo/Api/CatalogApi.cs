using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain.Plans;
using Minsheng.Hosting.Auth;

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
        group.MapGet("/", ListPlans).WithName("ListPlans")
            .WithSummary("列出调用方可访问的计划（按 id 排序）：office、viewer 为全部；单位角色为本区县的计划；地区角色为本地区的计划。" +
                         "分页：after 为上一页最后一个计划的 id，limit 每页条数（1–1000，默认 1000）；还有下一页时响应头 Link 给出 rel=\"next\" 的地址。")
            .ProducesProblems(400);
        group.MapGet("/{planId}", GetPlan).WithName("GetPlan").WithSummary("一个计划的完整目录：项目、任务、分解任务与单位。")
            .ProducesProblems(404);
        return app;
    }

    /// <summary>Most plans one page of the plan list holds (and its default).</summary>
    public const int PageLimit = 1000;

    /// <summary>
    /// Only the plans the caller may use (<see cref="Caller.MayUse"/>): a district's street never learns of other
    /// districts' plans. A unit's or region's plans are looked up by key; a page starts after a plan id (binary search
    /// in the id-ordered list), so no request walks every plan.
    /// </summary>
    private static Results<Ok<List<PlanSummary>>, ProblemHttpResult> ListPlans(PlanCatalog catalog, Caller caller, string? after, int? limit, HttpContext http)
    {
        if (limit is < 1 or > PageLimit) return Problems.Result(400, "limit", $"必须是 1 到 {PageLimit} 之间的整数");
        var size = limit ?? PageLimit;
        IReadOnlyList<PlanIndex> mine = caller.Kind switch
        {
            CallerKind.Office or CallerKind.Viewer => catalog.Plans,
            _ when caller.IsUnit => catalog.PlansOf(caller.DistrictId ?? ""),
            _ => catalog.FindRegion(caller.RegionId ?? "")?.Plans ?? [],
        };
        var from = after is null ? 0 : FirstAfter(mine, after);
        var page = mine.Skip(from).Take(size).Select(p => p.Plan).Where(caller.MayUse)
            .Select(p => new PlanSummary(p.Id, p.Title, p.Year, p.Start, p.Deadline, p.FinalDeadline)).ToList();
        if (from + size < mine.Count && page.Count > 0)
            http.Response.Headers.Link = $"</api/v1/plans?after={Uri.EscapeDataString(page[^1].Id)}&limit={size}>; rel=\"next\"";
        return TypedResults.Ok(page);
    }

    /// <summary>The index of the first plan whose id sorts after <paramref name="planId"/> in an id-ordered list.</summary>
    private static int FirstAfter(IReadOnlyList<PlanIndex> plans, string planId)
    {
        int low = 0, high = plans.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (string.CompareOrdinal(plans[mid].Id, planId) <= 0) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    private static Results<Ok<Plan>, ProblemHttpResult> GetPlan(string planId, PlanCatalog catalog, HttpContext http) =>
        catalog.Find(planId) is not { } plan ? PlanNotFound(planId)
        : PlanRouteFilter.OutOfScope(http, plan.Plan) is { } refused ? refused
        : TypedResults.Ok(plan.Plan);

    internal static ProblemHttpResult PlanNotFound(string planId) => Problems.NotFound("planId", $"计划“{planId}”不存在");
}
