using Minsheng.Domain;
using Minsheng.Silo.OpenApi;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Reviews;
using Minsheng.Exports;
using Minsheng.Grains;
using Minsheng.Grains.Events;
using Minsheng.Grains.ReportLog;

namespace Minsheng.Silo.Api;

/// <summary>
/// The tables offices open in a spreadsheet: the breakdown table in the shape of the notice's attachment 2 filled with
/// actuals (optionally as of an instant), a weekly ranking and a monthly evaluation; <c>.xlsx</c> (Open XML SDK) or
/// <c>.csv</c> (UTF-8 with BOM, so Excel reads Chinese). Any role may download.
/// </summary>
public static class ExportsApi
{
    /// <summary>Maps the breakdown, weekly ranking and monthly evaluation downloads.</summary>
    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var gate = app.ServiceProvider.GetRequiredService<ExportGate>();
        var group = app.MapGroup("/api/v1/plans/{planId}/exports").WithTags("Exports").RequirePlan()
            .ProducesProblems(ApiProblemMetadata.Guarded).ProducesProblems(400);
        // After the plan and the caller are settled: a refused request holds no export permit.
        group.AddEndpointFilter(gate.Filter);
        group.MapGet("/breakdown", GetBreakdown).WithName("ExportBreakdown")
            .WithSummary("任务分解表（附件2格式，各单元格“完成/目标”及状态色），format=xlsx|csv，可选 asOf。").ProducesFile();
        group.MapGet("/rankings/weekly/{isoWeek}", GetWeekly).WithName("ExportWeeklyRanking")
            .WithSummary("某周每周晾晒排名，format=xlsx|csv。").ProducesFile();
        group.MapGet("/evaluations/{month}", GetMonthly).WithName("ExportMonthlyEvaluation")
            .WithSummary("某月月度评估，format=xlsx|csv。").ProducesFile();
        return app;
    }

    private static async Task<IResult> GetBreakdown(PlanRoute route, [WireValues(typeof(ExportFormat))] string? format,
        [WireFormat(Format = "date-time")] string? asOf, IGrainFactory grains,
        RollupReader reader, BusinessClock clock, IOptions<SupervisionOptions> supervision)
    {
        var (plan, planId) = (route.Index, route.Id);
        if (Format(format) is not { } kind) return FormatProblem();
        var at = clock.GetUtcNow();
        if (asOf is not null && reader.AsOf(asOf, out at) is { } problem) return problem;
        var facts = asOf is null ? await grains.GetGrain<IPlanGrain>(planId).GetFacts() : await reader.FactsAsOf(plan, at);
        var local = at.ToOffset(plan.Plan.Deadline.Offset);
        var table = BreakdownExport.Table(BreakdownInput.From(plan, facts.ToFactMap(), local, supervision.Value.LagTolerance));
        return File(kind, [table], $"{planId}-breakdown-{local:yyyyMMdd-HHmm}");
    }

    private static async Task<IResult> GetWeekly(PlanRoute route, [WireFormat(Pattern = WirePatterns.IsoWeek)] string isoWeek,
        [WireValues(typeof(ExportFormat))] string? format, IGrainFactory grains, ReviewOptions options)
    {
        var (plan, planId) = (route.Index, route.Id);
        if (Format(format) is not { } kind) return FormatProblem();
        if (ReviewsApi.Week(plan, isoWeek, options) is { } problem) return problem;
        if (await grains.GetGrain<IReviewsGrain>(planId).GetWeekly(isoWeek) is not { } json)
            return Problems.NotFound("isoWeek", $"{isoWeek} 的排名尚未发布");
        var ranking = JsonSerializer.Deserialize<WeeklyRanking>(json, PlanEvents.Json)!;
        var tables = kind == ExportFormat.Csv ? [WeeklyRankingExport.Ranking(ranking, plan)] : WeeklyRankingExport.Tables(ranking, plan);
        return File(kind, tables, $"{planId}-ranking-{isoWeek}");
    }

    private static async Task<IResult> GetMonthly(PlanRoute route, [WireFormat(Pattern = WirePatterns.Month)] string month,
        [WireValues(typeof(ExportFormat))] string? format, IGrainFactory grains, ReviewOptions options)
    {
        var (plan, planId) = (route.Index, route.Id);
        if (Format(format) is not { } kind) return FormatProblem();
        if (month == "final") return Problems.NotFound("month", "年度综合考评输入请以 JSON 读取：GET .../evaluations/final");
        if (ReviewsApi.Month(plan, month, options) is { } problem) return problem;
        if (await grains.GetGrain<IReviewsGrain>(planId).GetEvaluation(month) is not { } json)
            return Problems.NotFound("month", $"{month} 的月度评估尚未生成");
        var evaluation = JsonSerializer.Deserialize<MonthlyEvaluation>(json, PlanEvents.Json)!;
        return File(kind, [MonthlyEvaluationExport.Table(evaluation, plan)], $"{planId}-evaluation-{month}");
    }

    /// <summary>The format asked for (xlsx when none); null for an unknown name.</summary>
    private static ExportFormat? Format(string? format) =>
        format is null ? ExportFormat.Xlsx : WireNames.TryParse<ExportFormat>(format, out var kind) ? kind : null;

    /// <summary>The download in either format: the document lists both media types as binary.</summary>
    private static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder builder) =>
        builder.Produces(200, typeof(Stream), ExportFormats.XlsxContentType, ExportFormats.CsvContentType);

    private static IResult FormatProblem() => Problems.Result(400, "format", "只能是 xlsx 或 csv");

    private static IResult File(ExportFormat kind, IReadOnlyList<ExportTable> tables, string name) => kind == ExportFormat.Csv
        ? TypedResults.File(CsvWriter.ToBytes(tables[0]), ExportFormats.CsvContentType, name + ExportFormats.CsvExtension)
        : TypedResults.File(XlsxWriter.ToBytes(tables), ExportFormats.XlsxContentType, name + ExportFormats.XlsxExtension);
}
