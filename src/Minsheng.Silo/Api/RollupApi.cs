using Minsheng.Silo.OpenApi;
using Minsheng.Domain.Forecasts;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Minsheng.Silo.Api;

/// <summary>Rollups of the plan, its streets, departments, leaders and projects, and assignment history.</summary>
public static class RollupApi
{
    /// <summary>Maps the views of a plan, its units and projects, and an assignment's history.</summary>
    public static IEndpointRouteBuilder MapRollupApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Rollups").RequirePlan().ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapGet("/rollup", GetPlanRollup).WithName("GetPlanRollup")
            .WithSummary("计划总体汇总：完成率、各状态分解任务数，计划、各项目、任务与指标的完成预测（forecast）；可选 asOf 取某一时刻的视图；可选 after（上报应答中的 position）待汇总包含该上报后再应答。").ProducesProblems(400, 503);
        group.MapGet("/streets/{streetId}", GetStreet).WithName("GetStreet")
            .WithSummary("一个街道的全部分解任务与汇总，街道与各分解任务的完成预测（forecast）；可选 asOf；可选 after 读己之写。").ProducesProblems(400);
        group.MapGet("/departments/{departmentId}", GetDepartment).WithName("GetDepartment")
            .WithSummary("一个部门牵头任务的汇总，部门、各任务与各分解任务的完成预测（forecast）；可选 asOf；可选 after 读己之写。").ProducesProblems(400, 503);
        group.MapGet("/leaders/{leaderId}", GetLeader).WithName("GetLeader")
            .WithSummary("一位区领导联系项目的汇总，完成预测（forecast，取所联系项目中最晚者）及各项目、各分解任务的预测；可选 asOf；可选 after 读己之写。").ProducesProblems(400, 503);
        group.MapGet("/projects/{projectId}", GetProject).WithName("GetProject")
            .WithSummary("一个项目的汇总，项目、各任务与各分解任务的完成预测（forecast）；可选 asOf；可选 after 读己之写。").ProducesProblems(400, 503);
        group.MapGet("/assignments/{taskId}/{unitId}/history", GetHistory).WithName("GetAssignmentHistory")
            .WithSummary("一个分解任务的上报历史（按受理顺序），分页：after 为上一页最后一条的 position，limit 每页条数（1–1000，默认 1000）；还有下一页时响应头 Link 给出 rel=\"next\" 的地址。")
            .ProducesProblems(400);
        return app;
    }

    // Every view takes ?asOf={instant}: the same view computed from the report log's rows accepted by then; and
    // ?after={position} (a report answer's position): it answers once the view includes that report, or 503.

    private static Task<Results<CachedJson<PlanRollup>, ProblemHttpResult>> GetPlanRollup(PlanRoute plan, [WireFormat(Format = "date-time")] string? asOf, long? after, RollupReader reader) =>
        reader.ReadAggregate(plan, asOf, after, reader.Grains.GetGrain<IPlanGrain>(plan.Id), (calc, _) => calc.Plan());

    private static async Task<Results<Ok<StreetView>, ProblemHttpResult>> GetStreet(PlanRoute plan, string streetId, [WireFormat(Format = "date-time")] string? asOf, long? after, RollupReader reader) =>
        plan.Index.FindStreet(streetId) is { } street
            ? await reader.Read(plan, asOf, after, g => g.GetGrain<IStreetGrain>(GrainKeys.Of(plan.Id, streetId)).GetOwnFacts(), (c, _) => c.Street(street))
            : Problems.NotFound("streetId", $"街道“{streetId}”不存在");

    private static async Task<Results<CachedJson<DepartmentView>, ProblemHttpResult>> GetDepartment(PlanRoute plan, string departmentId, [WireFormat(Format = "date-time")] string? asOf, long? after, RollupReader reader) =>
        plan.Index.FindDepartment(departmentId) is { } department
            ? await reader.ReadAggregate(plan, asOf, after, reader.Grains.GetGrain<IDepartmentGrain>(GrainKeys.Of(plan.Id, departmentId)), (c, _) => c.Department(department))
            : Problems.NotFound("departmentId", $"部门“{departmentId}”不存在");

    private static async Task<Results<CachedJson<LeaderView>, ProblemHttpResult>> GetLeader(PlanRoute plan, string leaderId, [WireFormat(Format = "date-time")] string? asOf, long? after, RollupReader reader) =>
        plan.Index.FindLeader(leaderId) is { } leader
            ? await reader.ReadAggregate(plan, asOf, after, reader.Grains.GetGrain<ILeaderGrain>(GrainKeys.Of(plan.Id, leaderId)), (c, _) => c.Leader(leader))
            : Problems.NotFound("leaderId", $"区领导“{leaderId}”不存在");

    private static async Task<Results<CachedJson<ProjectView>, ProblemHttpResult>> GetProject(PlanRoute plan, string projectId, [WireFormat(Format = "date-time")] string? asOf, long? after, RollupReader reader) =>
        plan.Index.FindProject(projectId) is { } project
            ? await reader.ReadAggregate(plan, asOf, after, reader.Grains.GetGrain<IProjectGrain>(GrainKeys.Of(plan.Id, projectId)), (c, _) => c.Project(project))
            : Problems.NotFound("projectId", $"项目“{projectId}”不存在");

    /// <summary>The most lines one history page holds (and the page size when none is asked for).</summary>
    public const int HistoryPageLimit = 1000;

    private static async Task<Results<Ok<List<HistoryEntry>>, ProblemHttpResult>> GetHistory(PlanRoute plan, string taskId, string unitId,
        long? after, int? limit, HttpContext http, Minsheng.Grains.ReportLog.IReportLog log, Minsheng.Grains.Evidence.IEvidenceStore evidence)
    {
        if (plan.Index.FindTask(taskId) is not { } task) return Problems.NotFound("taskId", $"任务“{taskId}”不存在");
        if (task.Assignments.All(a => a.UnitId != unitId))
            return Problems.NotFound("unitId", $"单位“{unitId}”在任务 {taskId} 中没有分解任务");
        if (after is < 0) return Problems.Result(400, "after", "必须是不小于 0 的整数（上一页最后一条的 position）");
        if (limit is < 1 or > HistoryPageLimit) return Problems.Result(400, "limit", $"必须是 1 到 {HistoryPageLimit} 之间的整数");
        var size = limit ?? HistoryPageLimit;
        // The report log is the history: each line is the row that made its count, in acceptance order. One row more
        // than the page says whether a next page exists.
        var rows = await log.ReadAssignment(plan.Id, taskId, unitId, after ?? 0, size + 1);
        var page = rows.Take(size).Select(r => r.ToHistory()).ToList();
        // Each line with its report's evidence files: one lookup for the page.
        var files = (await evidence.ListFor(plan.Id, page.Select(l => l.ReportId).Where(id => id.Length > 0).ToList(), http.RequestAborted))
            .GroupBy(f => f.ReportId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => new HistoryFile(f.FileId, f.Name, f.ContentType, f.Bytes, f.Sha256)).ToList(), StringComparer.Ordinal);
        page = page.Select(l => l with { Files = files.GetValueOrDefault(l.ReportId) ?? [] }).ToList();
        if (rows.Count > size)
        {
            var next = $"/api/v1/plans/{Uri.EscapeDataString(plan.Id)}/assignments/{Uri.EscapeDataString(taskId)}/{Uri.EscapeDataString(unitId)}/history?after={page[^1].Position}&limit={size}";
            http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }
        return TypedResults.Ok(page);
    }
}

/// <summary>
/// Reads facts and computes a view of them: now, from the grains' rollups at the business clock's now; or as of an
/// instant, from the report log's rows accepted by then, judged at that instant. A view carries the plan's forecasts
/// (issue 22) unless asked not to: now, those <see cref="ForecastCache"/> holds; as of an instant, those made then.
/// </summary>
public sealed class RollupReader(PlanCatalog catalog, IGrainFactory grains, Minsheng.Grains.BusinessClock clock, IOptions<SupervisionOptions> supervision,
    Minsheng.Grains.ReportLog.IReportLog log, Minsheng.Domain.Limits.InstantWindow window, RollupCache cache, ForecastCache forecasts)
{
    /// <summary>A view of an aggregate: now, from the view cached for its revision; as of an instant, from the log.</summary>
    /// <param name="view">Computes the view.</param>
    /// <param name="cacheKey">Set by a second kind of view of the same aggregate (a region's figures of a plan), so the kinds do not evict each other.</param>
    /// <param name="withForecasts">False for a view that shows no forecast (a region's figures): it then costs no forecast read.</param>
    public async Task<Results<CachedJson<T>, ProblemHttpResult>> ReadAggregate<T>(PlanRoute route, string? asOf, long? after, IProgressAggregate aggregate,
        Func<RollupCalculator, PlanIndex, T> view, string? cacheKey = null, bool withForecasts = true) where T : class
    {
        if (asOf is not null)
            return (await Read(route, asOf, after, _ => aggregate.GetFacts(), view, withForecasts)).Result switch
            {
                Ok<T> { Value: { } then } => new CachedJson<T>(then),
                ProblemHttpResult problem => problem,
                var other => throw new InvalidOperationException($"Unexpected answer {other.GetType().Name}"),
            };
        if (after is not null && await CaughtUp(route, after.Value, aggregate) is { } behind) return behind;
        var plan = route.Index;
        var now = clock.GetUtcNow().ToOffset(plan.Plan.Deadline.Offset);
        // The forecasts first: a view cached for this revision and second was made with these or ones as new.
        var lookup = withForecasts ? await forecasts.Now(plan, now) : null;
        var result = await cache.Get(cacheKey ?? aggregate.GetGrainId().ToString(), aggregate, now, (facts, at) =>
            view(new RollupCalculator(plan, facts.ToFactMap(), at, supervision.Value.LagTolerance, lookup), plan));
        // The view held for this revision is written as JSON once, however many read it.
        return new CachedJson<T>(result);
    }

    /// <summary>The loaded plans.</summary>
    public PlanCatalog Catalog => catalog;

    /// <summary>The grains the views read.</summary>
    public IGrainFactory Grains => grains;

    /// <summary>The view now (from the grains' facts) or as of <paramref name="asOf"/> (from the report log); 400 for a bad instant.</summary>
    public async Task<Results<Ok<T>, ProblemHttpResult>> Read<T>(PlanRoute route, string? asOf, long? after, Func<IGrainFactory, Task<IReadOnlyList<FactUpdate>>> facts,
        Func<RollupCalculator, PlanIndex, T> view, bool withForecasts = true)
    {
        var plan = route.Index;
        // An owner's view (and the log, for asOf) holds every report it answered: after only needs to name a report.
        if (after is not null && await Position(route, after.Value) is { Problem: { } bad }) return bad;
        if (asOf is null)
        {
            var now = clock.GetUtcNow();
            var lookup = withForecasts ? await forecasts.Now(plan, now) : null;
            return TypedResults.Ok(view(Calculator(plan, await facts(grains), lookup, now), plan));
        }
        if (AsOf(asOf, out var at) is { } problem) return problem;
        var factsThen = (await FactsAsOf(plan, at)).ToFactMap();
        var then = withForecasts ? await forecasts.AsOf(plan, factsThen, at) : null;
        var calculator = new RollupCalculator(plan, factsThen, at.ToOffset(plan.Plan.Deadline.Offset), supervision.Value.LagTolerance, then);
        return TypedResults.Ok(view(calculator, plan));
    }

    /// <summary>How long a view asked with <c>?after=</c> waits for its aggregate before the 503.</summary>
    public static readonly TimeSpan AfterWait = TimeSpan.FromSeconds(5);

    /// <summary>The report at <paramref name="after"/> in the plan's log, or the 400 problem naming <c>after</c>.</summary>
    private async Task<(ReportLogEntry? Row, ProblemHttpResult? Problem)> Position(PlanRoute route, long after)
    {
        if (after < 1) return (null, Problems.Result(400, "after", "必须是正整数：上报应答中的 position"));
        return await log.FindAt(route.Id, after) is { } row
            ? (row, null)
            : (null, Problems.Result(400, "after", $"位置 {after} 不是本计划已受理的上报或计划变更"));
    }

    /// <summary>Null once the aggregate includes the report at <paramref name="after"/>; a 400 or 503 problem otherwise.</summary>
    private async Task<ProblemHttpResult?> CaughtUp(PlanRoute route, long after, IProgressAggregate aggregate)
    {
        var (row, problem) = await Position(route, after);
        if (problem is not null) return problem;
        return await aggregate.Includes(row!.TaskId, row.UnitId, row.MetricId, row.Version, AfterWait)
            ? null
            : Problems.Result(503, "after", $"汇总在 {AfterWait.TotalSeconds:0} 秒内仍未包含位置 {after} 的上报，请稍后重试");
    }

    /// <summary>Parses <c>asOf</c>: an instant with an offset inside the plans' window, or the 400 problem saying why not.</summary>
    public ProblemHttpResult? AsOf(string asOf, out DateTimeOffset at)
    {
        at = default;
        if (Instants.Parse(asOf) is not { } instant) return Problems.Result(400, "asOf", "须为带时区的 ISO 8601 时间，如 2024-07-01T00:00:00+08:00");
        if (!window.Contains(instant)) return Problems.Result(400, "asOf", $"须在计划时间范围（{window.Describe()}）之内");
        at = instant;
        return null;
    }

    /// <summary>Each assignment's fact as the report log had it at <paramref name="at"/>.</summary>
    public Task<IReadOnlyList<FactUpdate>> FactsAsOf(PlanIndex plan, DateTimeOffset at) => log.UpdatesAsOf(plan, at);

    /// <summary>A calculator over <paramref name="facts"/> at the business clock's now (or <paramref name="now"/>), with <paramref name="forecasts"/> if given.</summary>
    public RollupCalculator Calculator(PlanIndex plan, IReadOnlyList<FactUpdate> facts, ForecastLookup? forecasts = null, DateTimeOffset? now = null) =>
        new(plan, facts.ToFactMap(), (now ?? clock.GetUtcNow()).ToOffset(plan.Plan.Deadline.Offset), supervision.Value.LagTolerance, forecasts);
}
