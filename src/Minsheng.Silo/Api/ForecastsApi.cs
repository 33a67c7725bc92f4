using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain.Forecasts;
using Minsheng.Grains;
using Minsheng.Grains.ReportLog;
using Minsheng.Silo.OpenApi;

namespace Minsheng.Silo.Api;

/// <summary>
/// Forecasts (issue 22, first step): when each assignment, task, project, street and department and the plan are
/// expected to be complete at the pace their units keep, and which assignments are at risk of missing the deadline
/// (<see cref="ForecastRules"/>). Read from the report log: each assignment's row now and at the start of the recent
/// window, two index steps per assignment, never the history; now, as <see cref="ForecastCache"/> holds them (the rollup
/// views carry the same).
/// </summary>
public static class ForecastsApi
{
    public static IEndpointRouteBuilder MapForecastsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Forecasts").RequirePlan().ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapGet("/forecasts", GetForecasts).WithName("GetForecasts")
            .WithSummary("按各单位自身进度预测完成时间：计划、项目、任务、街道、部门与每个分解任务的预计完成时刻、区间和是否有逾期风险（atRisk），"
                + "以及有风险的分解任务清单。方法：近28天进度（历史不足28天时用自计划开始的总体进度）；数据不足时不预测并说明原因。不带 asOf 时按业务时钟当前分钟、含已受理的全部上报预测（与各汇总视图的 forecast 一致）；可选 asOf。")
            .ProducesProblems(400);
        return app;
    }

    // Now: the forecasts the rollup views carry (held per log position and minute); as of an instant: made then.
    private static async Task<Results<Ok<PlanForecastView>, ProblemHttpResult>> GetForecasts(PlanRoute route,
        [WireFormat(Format = "date-time")] string? asOf, RollupReader reader, IReportLog log, BusinessClock clock, ForecastCache forecasts)
    {
        var plan = route.Index;
        if (asOf is null) return TypedResults.Ok((await forecasts.Now(plan, clock.GetUtcNow())).View);
        if (reader.AsOf(asOf, out var at) is { } problem) return problem;
        return TypedResults.Ok((await forecasts.AsOf(plan, await log.FactsAt(plan, at), at)).View);
    }
}
