using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Regions;
using Minsheng.Grains;
using Minsheng.Silo.OpenApi;

namespace Minsheng.Silo.Api;

/// <summary>
/// Regions (a city or a province, named by the plan files): the list, and a region's plans ranked by their plan ratio.
/// Read by <c>office</c> and <c>viewer</c> (every region) and by a region's own roles; unit roles see no region.
/// </summary>
public static class RegionsApi
{
    /// <summary>One region of the list.</summary>
    /// <param name="RegionId">The region's id, as its plan files name it.</param>
    /// <param name="Name">Its display name.</param>
    /// <param name="Plans">How many loaded plans (districts' years) it has.</param>
    public sealed record RegionSummary(string RegionId, string Name, int Plans);

    /// <summary>A region's rollup: its plans ranked by ratio.</summary>
    /// <param name="RegionId">The region.</param>
    /// <param name="Name">Its display name.</param>
    /// <param name="AsOf">The instant the plans were judged at: the <c>asOf</c> asked, or now on the business clock.</param>
    /// <param name="Plans">Every plan of the region in rank order (rank 1 = highest ratio; equal exact ratios share a rank and are listed by plan id).</param>
    public sealed record RegionRollup(string RegionId, string Name, DateTimeOffset AsOf, List<RegionPlan> Plans);

    /// <summary>One plan of a region's rollup: the same ratio and status counts as <c>GET /api/v1/plans/{planId}/rollup</c>.</summary>
    public sealed record RegionPlan(string PlanId, string Title, decimal Ratio, int Rank, StatusCounts Counts);

    /// <summary>Maps <c>GET /api/v1/regions</c> and <c>GET /api/v1/regions/{regionId}/rollup</c>.</summary>
    public static IEndpointRouteBuilder MapRegionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/regions").WithTags("Regions").ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapGet("/", ListRegions).WithName("ListRegions")
            .WithSummary("列出调用方可读的地区（市、省）及各自的计划数：office、viewer 为全部；地区角色为本地区；单位角色为空。");
        group.MapGet("/{regionId}/rollup", GetRegionRollup).WithName("GetRegionRollup")
            .WithSummary("地区汇总：本地区各计划按完成率排名（并列同名次），附各状态分解任务数，与各计划汇总的数字相同；可选 asOf 取某一时刻的视图。")
            .ProducesProblems(400, 404);
        return app;
    }

    private static Ok<List<RegionSummary>> ListRegions(PlanCatalog catalog, Caller caller) => TypedResults.Ok(
        catalog.Regions.Where(r => caller.MayReadRegion(r.Region.Id))
            .Select(r => new RegionSummary(r.Region.Id, r.Region.Name, r.Plans.Count)).ToList());

    /// <summary>
    /// Each plan's numbers are its plan rollup's (the plan grain's facts now, the report log's as of an instant), so a
    /// region's line and the plan's own rollup never disagree; the ranking is <see cref="RegionRanking"/>'s.
    /// </summary>
    private static async Task<Results<Ok<RegionRollup>, ProblemHttpResult>> GetRegionRollup(string regionId,
        [WireFormat(Format = "date-time")] string? asOf, Caller caller, RollupReader reader, BusinessClock clock)
    {
        if (Readable(regionId, caller, reader.Catalog, out var region) is { } refused) return refused;
        var at = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        if (asOf is not null && reader.AsOf(asOf, out at) is { } bad) return bad;
        return TypedResults.Ok(await Rollup(region, asOf, at, reader));
    }

    /// <summary>
    /// The region's rules for reading, shared by the rollup and the region's event stream: 404 naming
    /// <c>regionId</c> for an unknown region, 403 for a unit role or another region's role; null when readable.
    /// </summary>
    internal static ProblemHttpResult? Readable(string regionId, Caller caller, PlanCatalog catalog, out RegionPlans region)
    {
        region = catalog.FindRegion(regionId)!;
        if (region is null) return Problems.NotFound("regionId", $"地区“{regionId}”不存在");
        if (caller.MayReadRegion(regionId)) return null;
        return Problems.Forbidden("regionId", caller.IsUnit
            ? $"角色 {caller.Role} 是单位角色，不能查看地区汇总"
            : $"角色 {caller.Role} 不能查看地区“{regionId}”的汇总");
    }

    /// <summary>
    /// The region's rollup (<paramref name="asOf"/> null: now). The event stream sends exactly this, so its
    /// <c>snapshot</c> and <c>rollup</c> events never disagree with <c>GET .../rollup</c>.
    /// </summary>
    internal static async Task<RegionRollup> Rollup(RegionPlans region, string? asOf, DateTimeOffset at, RollupReader reader)
    {
        var figures = await Task.WhenAll(region.Plans.Select(plan => Figures(plan, asOf, reader)));
        var ranked = RegionRanking.Rank(figures);
        return new RegionRollup(region.Region.Id, region.Region.Name, at,
            ranked.Select(p => new RegionPlan(p.PlanId, p.Title, p.Ratio, p.Rank, p.Counts)).ToList());
    }

    /// <summary>One plan's exact ratio and counts, read as <c>GET .../rollup</c> reads them (its own cache entry).</summary>
    private static async Task<RegionPlanFigures> Figures(PlanIndex plan, string? asOf, RollupReader reader)
    {
        var grain = reader.Grains.GetGrain<IPlanGrain>(plan.Id);
        var answer = await reader.ReadAggregate(PlanRoute.Of(plan), asOf, null, grain,
            (calc, p) => new RegionPlanFigures(p.Id, p.Plan.Title, calc.PlanRatio(), calc.Plan().Counts), grain.GetGrainId() + "|region",
            withForecasts: false);
        return answer.Result is CachedJson<RegionPlanFigures> { Value: { } ok } ? ok
            : throw new InvalidOperationException($"Plan {plan.Id} answered no figures for its region: the asOf was checked before.");
    }
}
