using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;
using Minsheng.Grains;
using Minsheng.Silo.OpenApi;

namespace Minsheng.Silo.Api;

/// <summary>
/// The published reviews: weekly 晾晒 rankings, monthly 评估 and the year-end 综合考评 input. Each is published once
/// on the business clock and never changes; this only reads them.
/// </summary>
public static class ReviewsApi
{
    /// <summary>One published weekly ranking: its ISO week and the instant it was published (and judged at).</summary>
    public sealed record PublishedWeek(string Week, DateTimeOffset PublishedAt);

    /// <summary>One published monthly evaluation: its month and the instant it was evaluated at.</summary>
    public sealed record PublishedMonth(string Month, DateTimeOffset EvaluatedAt);

    /// <summary>The year-end 综合考评 input, once generated.</summary>
    public sealed record PublishedFinal(DateTimeOffset EvaluatedAt);

    /// <summary>
    /// What a plan has published so far, oldest first, and what comes next: a client learns whether a ranking exists
    /// (and which is the latest) without asking for one that does not.
    /// </summary>
    /// <param name="PlanId">The plan.</param>
    /// <param name="LatestWeek">The latest published ISO week (what <c>GET .../rankings/weekly</c> answers), or null before the first.</param>
    /// <param name="NextWeek">The first week not yet published (due at its <c>publishedAt</c>), or null after the last.</param>
    /// <param name="Weekly">Every published weekly ranking.</param>
    /// <param name="Monthly">Every published monthly evaluation.</param>
    /// <param name="Final">The year-end input, or null before the final deadline.</param>
    public sealed record PublishedReviewsIndex(
        string PlanId, string? LatestWeek, PublishedWeek? NextWeek, List<PublishedWeek> Weekly, List<PublishedMonth> Monthly, PublishedFinal? Final);

    /// <summary>Maps the weekly rankings and the evaluations.</summary>
    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Reviews").RequirePlan().ProducesProblems(ApiProblemMetadata.Guarded);
        // The published reviews are stored as the JSON they were published as and answered verbatim: the document
        // names their types, which the stored JSON was serialized from.
        group.MapGet("/reviews", GetPublished).WithName("GetPublishedReviews")
            .WithSummary("已发布的每周晾晒、月度评估与年度综合考评输入的清单（含最新一期与下一期周次）；尚未发布任何一期时各清单为空，而非 404。");
        group.MapGet("/rankings/weekly", GetLatestWeekly).WithName("GetLatestWeeklyRanking")
            .WithSummary("最新一期每周晾晒排名。").Produces<WeeklyRanking>();
        group.MapGet("/rankings/weekly/{isoWeek}", GetWeekly).WithName("GetWeeklyRanking")
            .WithSummary("某一 ISO 周（如 2024-W23）的每周晾晒排名。").Produces<WeeklyRanking>().ProducesProblems(400);
        // Two operations, one answer type each: a literal segment outranks a parameter in routing, so
        // .../evaluations/final reaches the year-end input and every other .../evaluations/{month} the monthly one.
        group.MapGet("/evaluations/final", GetFinalEvaluation).WithName("GetFinalEvaluation")
            .WithSummary("年度综合考评输入（最终期限之后生成）。").Produces<FinalEvaluation>();
        group.MapGet("/evaluations/{month}", GetMonthlyEvaluation).WithName("GetMonthlyEvaluation")
            .WithSummary("某月（yyyy-MM）的月度评估（于该月最后一秒评估）。").Produces<MonthlyEvaluation>().ProducesProblems(400);
        return app;
    }

    private static async Task<Ok<PublishedReviewsIndex>> GetPublished(PlanRoute route, IGrainFactory grains, ReviewOptions options)
    {
        var plan = route.Index;
        var calendar = new ReviewCalendar(PlanTimeline.Of(plan.Plan), options);
        var published = await grains.GetGrain<IReviewsGrain>(plan.Id).GetPublished();
        var weekly = published.Weeks.Select(w => new PublishedWeek(w, calendar.PublishedAt(Parse(w)))).ToList();
        var monthly = published.Months.Select(m => new PublishedMonth(m, calendar.EvaluatedAt(ParseMonth(m)))).ToList();
        var done = published.Weeks.ToHashSet(StringComparer.Ordinal);
        var next = calendar.Weeks().Where(w => !done.Contains(w.ToString())).Select(w => new PublishedWeek(w.ToString(), calendar.PublishedAt(w))).FirstOrDefault();
        return TypedResults.Ok(new PublishedReviewsIndex(plan.Id, weekly.LastOrDefault()?.Week, next, weekly, monthly,
            published.Final ? new PublishedFinal(calendar.Timeline.FinalDeadline) : null));
    }

    private static async Task<IResult> GetLatestWeekly(PlanRoute plan, IGrainFactory grains)
    {
        return await grains.GetGrain<IReviewsGrain>(plan.Id).GetWeekly(null) is { } json
            ? Json(json)
            : Problems.NotFound("isoWeek", "尚未发布任何一期每周晾晒排名（每周一 09:00 发布）");
    }

    private static async Task<IResult> GetWeekly(PlanRoute route, [WireFormat(Pattern = WirePatterns.IsoWeek)] string isoWeek, IGrainFactory grains,
        ReviewOptions options)
    {
        var plan = route.Index;
        if (Week(plan, isoWeek, options) is { } problem) return problem;
        return await grains.GetGrain<IReviewsGrain>(plan.Id).GetWeekly(isoWeek) is { } json
            ? Json(json)
            : Problems.NotFound("isoWeek", $"{isoWeek} 的排名尚未发布（发布时间 {new ReviewCalendar(PlanTimeline.Of(plan.Plan), options).PublishedAt(Parse(isoWeek)):yyyy-MM-dd HH:mm}）");
    }

    private static async Task<IResult> GetMonthlyEvaluation(PlanRoute route, [WireFormat(Pattern = WirePatterns.Month)] string month,
        IGrainFactory grains, ReviewOptions options)
    {
        var plan = route.Index;
        if (Month(plan, month, options) is { } problem) return problem;
        return await grains.GetGrain<IReviewsGrain>(plan.Id).GetEvaluation(month) is { } json
            ? Json(json)
            : Problems.NotFound("month", $"{month} 的月度评估尚未生成（于该月最后一秒评估）");
    }

    private static async Task<IResult> GetFinalEvaluation(PlanRoute route, IGrainFactory grains)
    {
        var plan = route.Index;
        return await grains.GetGrain<IReviewsGrain>(plan.Id).GetEvaluation("final") is { } json
            ? Json(json)
            : Problems.NotFound("month", $"年度综合考评输入在最终期限 {plan.Plan.FinalDeadline:yyyy-MM-dd HH:mm:ss} 之后生成");
    }

    /// <summary>A problem when the text is no ISO week or the plan has no ranking that week; null when it has.</summary>
    internal static ProblemHttpResult? Week(PlanIndex plan, string isoWeek, ReviewOptions options)
    {
        if (!IsoWeek.TryParse(isoWeek, out var week)) return Problems.Result(400, "isoWeek", "须为 ISO 周，如 2024-W23");
        var calendar = new ReviewCalendar(PlanTimeline.Of(plan.Plan), options);
        if (!calendar.HasRanking(week))
        {
            var weeks = calendar.Weeks();
            return Problems.NotFound("isoWeek", $"计划 {plan.Id} 的每周晾晒从 {weeks[0]} 到 {weeks[^1]}，{isoWeek} 不在其中（计划开始前或最终期限后没有排名）");
        }
        return null;
    }

    /// <summary>A problem when the text is no month of the plan; null when it is.</summary>
    internal static ProblemHttpResult? Month(PlanIndex plan, string month, ReviewOptions options)
    {
        if (!EvaluationMonth.TryParse(month, out var m)) return Problems.Result(400, "month", "须为 yyyy-MM（如 2024-06）；年度综合考评输入见 .../evaluations/final");
        var calendar = new ReviewCalendar(PlanTimeline.Of(plan.Plan), options);
        if (!calendar.HasEvaluation(m))
        {
            var months = calendar.Months();
            return Problems.NotFound("month", $"计划 {plan.Id} 的月度评估从 {months[0]} 到 {months[^1]}，{month} 不在其中");
        }
        return null;
    }

    internal static IsoWeek Parse(string isoWeek) => IsoWeek.TryParse(isoWeek, out var w) ? w : throw new FormatException(isoWeek);

    private static EvaluationMonth ParseMonth(string month) => EvaluationMonth.TryParse(month, out var m) ? m : throw new FormatException(month);

    private static IResult Json(string json) => Results.Text(json, "application/json; charset=utf-8");
}
