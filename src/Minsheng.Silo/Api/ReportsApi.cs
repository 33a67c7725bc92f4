using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains;
using Minsheng.Grains.Messages;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Api;

/// <summary>Progress reports (进度上报): cumulative counts, idempotent by the client's reportId.</summary>
public static class ReportsApi
{
    /// <summary>Maps <c>POST /api/v1/plans/{planId}/reports</c>.</summary>
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Reports").AuditsRefusals().RequirePlan()
            .ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapPost("/reports", PostReport).WithName("PostReport")
            .WithSummary("上报一条累计进度（reportId 幂等：同一 reportId 同一内容重发得到首次应答 200，内容不同得到 409）。"
                + "计划启用填报审核（signOff）时，单位角色（street、department、reporter）的上报为待审核，应答 202，经本单位审核人通过后才计入。")
            .Produces<SignOffItem>(StatusCodes.Status202Accepted)
            .ReadsJson<ReportBody>().ProducesProblems(409, 422)
            .AuditRefusals(AuditAction.Report);
        return app;
    }

    private static async Task<Results<Created<ReportAnswer>, Ok<ReportAnswer>, Accepted<SignOffItem>, ProblemHttpResult>> PostReport(
        PlanRoute route, Caller caller, HttpRequest request, IGrainFactory grains, ReportLimits limits)
    {
        var plan = route.Index;
        if (caller.IsReadOnly) return Problems.Forbidden("role", $"只读角色（{caller.Role}）不能上报进度");

        var (body, problem) = await JsonBody.Read<ReportBody>(request);
        if (problem is not null) return problem;
        if (NullEvidence(body!) is { } nullEvidence) return Problems.Result(nullEvidence);
        if (ToRequest(body!, plan) is not { } report) return Problems.Result(Missing(body!));
        if (ReportRules.CheckShape(report, plan, limits) is { } refusal) return Problems.Result(refusal);

        var task = plan.Task(report.TaskId);
        if (!caller.MayReport(plan.Plan, task, report.UnitId))
            return Problems.Forbidden("unitId", caller.Kind == CallerKind.Reviewer
                ? $"审核角色 {caller.Role} 只审核本单位的填报，不能上报进度"
                : $"角色 {caller.Role} 无权上报任务 {task.Id} 中单位 {report.UnitId} 的进度");
        if (plan.Plan.SignOff && caller.FilesForSignOff) return await File(plan, task, report, caller, request, grains);

        // One grain hop: the owner validates against its facts, appends one row to the report log (fact, answer and
        // history line in one durable write; a reportId already in the plan's log gets its first answer or 409), and
        // answers only after the commit.
        var outcome = await Owner(grains, plan, task, report.UnitId).Report(new ReportCommand(report.ReportId, report.TaskId, report.UnitId,
            report.MetricId, report.Completed, report.Note, report.Evidence, report.Correction, report.Reason, caller.Role, caller.Person));
        // Counted once, where it is decided: the owner grain's minsheng.unit.reports.accepted {unit, outcome}.
        return outcome switch
        {
            { Status: 201, Answer: { } a } => TypedResults.Created($"/api/v1/plans/{plan.Id}/assignments/{a.TaskId}/{a.UnitId}/history", a),
            { Status: 200, Answer: { } a } => TypedResults.Ok(a),
            _ => Problems.Result(outcome.Status, outcome.Field ?? "body", outcome.Reason ?? ""),
        };
    }

    /// <summary>
    /// Files a report for sign-off: the owner validates it as a report and stores it as pending (202); it counts once the
    /// unit's reviewer approves it (<see cref="SignOffApi"/>). A retry with the same body answers 202 with the filing as
    /// it stands.
    /// </summary>
    private static async Task<Results<Created<ReportAnswer>, Ok<ReportAnswer>, Accepted<SignOffItem>, ProblemHttpResult>> File(PlanIndex plan,
        PlanTask task, ReportRequest report, Caller caller, HttpRequest request, IGrainFactory grains)
    {
        var outcome = await Owner(grains, plan, task, report.UnitId).File(new ReportCommand(report.ReportId, report.TaskId, report.UnitId,
            report.MetricId, report.Completed, report.Note, report.Evidence, report.Correction, report.Reason, caller.Role, caller.Person));
        if (outcome.Item is not { } item) return Problems.Result(outcome.Status, outcome.Field ?? "body", outcome.Reason ?? "");
        if (!outcome.Replayed) await SignOffApi.Audit(request, caller, AuditAction.SignOffFile, 202, plan.Id, item, item.SubmittedAt);
        return TypedResults.Accepted($"/api/v1/plans/{plan.Id}/pending?unitId={Uri.EscapeDataString(item.Request.UnitId)}", SignOffItem.Of(item, plan));
    }

    /// <summary>
    /// The grain that owns an assignment: its street, or for 区本级 the task's lead department. References are resolved
    /// once per grain factory: <c>GetGrain</c> resolves the grain interface by reflection on every call (about 9% of a
    /// report's CPU in the benchmark's profile).
    /// </summary>
    internal static IAssignmentOwnerGrain Owner(IGrainFactory grains, PlanIndex plan, PlanTask task, string unitId)
    {
        var owner = PlanIndex.OwnerOf(task, unitId) is { Kind: OwnerKind.Street } s ? s : new OwnerRef(OwnerKind.Department, task.LeadDepartment);
        return OwnerRefs.GetOrCreateValue(grains).GetOrAdd((plan.Id, owner), static (key, factory) => key.Owner.Kind == OwnerKind.Street
            ? factory.GetGrain<IStreetGrain>(GrainKeys.Of(key.Plan, key.Owner.Id))
            : factory.GetGrain<IDepartmentGrain>(GrainKeys.Of(key.Plan, key.Owner.Id)), grains);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IGrainFactory,
        System.Collections.Concurrent.ConcurrentDictionary<(string Plan, OwnerRef Owner), IAssignmentOwnerGrain>> OwnerRefs = new();

    private static ReportRequest? ToRequest(ReportBody b, PlanIndex plan)
    {
        if (b.ReportId is null || b.TaskId is null || b.UnitId is null || b.Completed is null) return null;
        var metric = b.MetricId;
        if (metric is null)
        {
            if (plan.FindTask(b.TaskId) is { Metrics.Count: > 1 }) return null;
            metric = PlanUnits.MainMetric;
        }
        return new ReportRequest(b.ReportId, b.TaskId, b.UnitId, metric, b.Completed.Value, b.Note, b.Evidence ?? [],
            b.Correction ?? false, b.Reason);
    }

    /// <summary>JSON lets a list hold null; a report's evidence may not.</summary>
    private static Refusal? NullEvidence(ReportBody b)
    {
        var index = b.Evidence?.FindIndex(e => e is null) ?? -1;
        return index < 0 ? null : Refusal.Invalid($"evidence[{index}]", "佐证材料不能为空");
    }

    private static Refusal Missing(ReportBody b) =>
        b.ReportId is null ? Refusal.Invalid("reportId", "必填")
        : b.TaskId is null ? Refusal.Invalid("taskId", "必填")
        : b.UnitId is null ? Refusal.Invalid("unitId", "必填")
        : b.Completed is null ? Refusal.Invalid("completed", "必填，为累计完成数")
        : Refusal.Invalid("metricId", $"任务 {b.TaskId} 有多个指标，必须指明 metricId");
}
