using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain;
using Minsheng.Domain.Plans;
using Minsheng.Domain.SignOff;
using Minsheng.Grains;
using Minsheng.Grains.Audit;
using Minsheng.Grains.Messages;
using Minsheng.Grains.SignOff;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Api;

/// <summary>
/// Sign-off (填报→审核), for plans whose file turns it on: the list of filed reports apart from counted ones, and the
/// reviewer's approve and reject. Filing is <c>POST .../reports</c> by a unit's role (see <see cref="ReportsApi"/>).
/// </summary>
public static class SignOffApi
{
    /// <summary>At most this many items in one answer of <c>GET .../pending</c>.</summary>
    public const int PageLimit = 500;

    public static IEndpointRouteBuilder MapSignOffApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("SignOff").AuditsRefusals().RequirePlan()
            .ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapGet("/pending", GetPending).WithName("GetPending")
            .WithSummary("填报审核：已填报的报告，与已计入的进度分开列出；按状态（默认 pending 待审核，另有 approved 已通过、rejected 已退回）、单位和任务筛选，按填报先后排列。");
        group.MapPost("/reports/{reportId}/approve", Approve).WithName("ApproveReport")
            .WithSummary("审核通过一份待审核的报告：它这时才计入进度（与上报一样是一次原子写入，历史记录同时保留填报人与审核人）。重发得到首次应答 200。")
            .ProducesProblems(404, 409, 422).AuditRefusals(AuditAction.SignOffApprove);
        group.MapPost("/reports/{reportId}/reject", Reject).WithName("RejectReport")
            .WithSummary("退回一份待审核的报告，必须说明原因；退回的报告不计入进度，填报人可改正后以新的 reportId 重新填报。")
            .ReadsJson<RejectBody>().ProducesProblems(404, 409).AuditRefusals(AuditAction.SignOffReject);
        return app;
    }

    private static async Task<Results<Ok<List<SignOffItem>>, ProblemHttpResult>> GetPending(PlanRoute route,
        [WireValues(typeof(SignOffState))] string? state, string? unitId, string? taskId, int? limit, ISignOffStore store)
    {
        var wanted = SignOffState.Pending;
        if (state is not null && !WireNames.TryParse(state, out wanted)) return Problems.Result(400, "state", "只能是 pending、approved 或 rejected");
        if (limit is < 1 or > PageLimit) return Problems.Result(400, "limit", $"必须是 1 到 {PageLimit} 之间的整数");
        var items = await store.List(route.Id, new SignOffQuery(wanted, unitId, taskId, limit ?? PageLimit));
        return TypedResults.Ok(items.Select(i => SignOffItem.Of(i, route.Index)).ToList());
    }

    private static async Task<Results<Created<ReportAnswer>, Ok<ReportAnswer>, ProblemHttpResult>> Approve(PlanRoute route, string reportId,
        Caller caller, HttpRequest request, IGrainFactory grains, ISignOffStore store)
    {
        var (item, problem) = await Reviewable(route, reportId, caller, store);
        if (problem is not null) return problem;
        var outcome = await Owner(grains, route, item!).Approve(new SignOffDecision(reportId, true, null, caller.Role, caller.Person));
        if (outcome.Answer is not { } answer) return Problems.Result(outcome.Status, outcome.Field ?? "reportId", outcome.Reason ?? "");
        if (outcome.Status == 201) await Audit(request, caller, AuditAction.SignOffApprove, 201, route.Id, item!, answer.RecordedAt);
        return outcome.Status == 201
            ? TypedResults.Created($"/api/v1/plans/{route.Id}/assignments/{answer.TaskId}/{answer.UnitId}/history", answer)
            : TypedResults.Ok(answer);
    }

    private static async Task<Results<Ok<SignOffItem>, ProblemHttpResult>> Reject(PlanRoute route, string reportId,
        Caller caller, HttpRequest request, IGrainFactory grains, ISignOffStore store)
    {
        var (item, problem) = await Reviewable(route, reportId, caller, store);
        if (problem is not null) return problem;
        var (body, bad) = await JsonBody.Read<RejectBody>(request);
        if (bad is not null) return bad;
        if (string.IsNullOrWhiteSpace(body!.Reason)) return Problems.Result(422, "reason", "退回必须说明原因");
        var outcome = await Owner(grains, route, item!).Reject(new SignOffDecision(reportId, false, body.Reason, caller.Role, caller.Person));
        if (outcome.Item is not { } rejected) return Problems.Result(outcome.Status, outcome.Field ?? "reportId", outcome.Reason ?? "");
        await Audit(request, caller, AuditAction.SignOffReject, 200, route.Id, rejected, rejected.ReviewedAt!.Value, rejected.ReturnReason);
        return TypedResults.Ok(SignOffItem.Of(rejected, route.Index));
    }

    /// <summary>The filed report a reviewer decides, when this caller may review it; 404 or 403 otherwise.</summary>
    private static async Task<(PendingReport? Item, ProblemHttpResult? Problem)> Reviewable(PlanRoute route, string reportId, Caller caller, ISignOffStore store)
    {
        if (!route.Index.Plan.SignOff) return (null, Problems.NotFound("reportId", $"计划 {route.Id} 未启用填报审核，没有待审核的报告"));
        if (await store.Find(route.Id, reportId) is not { } item) return (null, Problems.NotFound("reportId", $"没有已填报的报告 {reportId}"));
        var r = item.Request;
        if (!caller.MayReview(route.Index.Plan, route.Index.Task(r.TaskId), r.UnitId))
            return (null, Problems.Forbidden("role", $"角色 {caller.Role} 不是任务 {r.TaskId} 中单位 {r.UnitId} 的审核人，无权审核此报告"));
        return (item, null);
    }

    private static IAssignmentOwnerGrain Owner(IGrainFactory grains, PlanRoute route, PendingReport item) =>
        ReportsApi.Owner(grains, route.Index, route.Index.Task(item.Request.TaskId), item.Request.UnitId);

    /// <summary>
    /// An accepted filing or decision in the audit log, with the person acting and, for a decision, the reporter it was about:
    /// both people, as the history line of an approved report keeps them.
    /// </summary>
    internal static Task Audit(HttpRequest request, Caller caller, AuditAction action, int status, string planId, PendingReport item,
        DateTimeOffset at, string? reason = null)
    {
        var r = item.Request;
        var detail = new JsonObject
        {
            ["completed"] = r.Completed,
            ["reporterRole"] = item.ReporterRole,
            ["reporter"] = item.Reporter,
            ["submittedAt"] = item.SubmittedAt.ToString("O"),
        };
        if (reason is not null) detail["returnReason"] = reason;
        var audit = request.HttpContext.RequestServices.GetRequiredService<IAuditLog>();
        return audit.Append(new AuditEntry(at, caller.Role, action, AuditOutcome.Accepted, status, planId, r.ReportId, r.TaskId, r.UnitId, r.MetricId,
            detail, caller.Person));
    }
}
