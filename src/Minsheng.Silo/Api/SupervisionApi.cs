using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain;
using Minsheng.Domain.Supervision;
using Minsheng.Grains;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Api;

/// <summary>Alerts and cases (个案督办): the lead department answers, the office opens by hand and closes.</summary>
public static class SupervisionApi
{
    private const int MaxTextLength = 2000;

    /// <summary>A page of a case's responses.</summary>
    public sealed record CaseResponsesPage(int Total, int Offset, int Limit, List<CaseResponse> Items);

    /// <summary>Maps alerts, cases, responses and closing under <c>/api/v1/plans/{planId}</c>.</summary>
    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Supervision").AuditsRefusals().RequirePlan()
            .ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapGet("/alerts", GetAlerts).WithName("GetAlerts")
            .WithSummary("预警列表，可按单位（unitId）或牵头部门（departmentId）筛选。");
        group.MapGet("/supervision", GetStatus).WithName("GetSupervisionStatus")
            .WithSummary("督办检查已运行到何时（供运维查看）。");
        group.MapGet("/cases", GetCases).WithName("GetCases")
            .WithSummary("督办件列表，可按状态（open、responded、closed）、任务和单位筛选。").ProducesProblems(400);
        group.MapGet("/cases/{caseId}", GetCase).WithName("GetCase").WithSummary("一个督办件。");
        group.MapPost("/cases", OpenCase).WithName("OpenCase")
            .WithSummary("区政府办公室手动发起督办（office，或本计划所属地区的 region-office）。")
            .RequirePlanOffice("只有区政府办公室（office）或本计划所属地区的 region-office 可以手动发起督办")
            .ReadsJson<OpenCaseBody>().ProducesProblems(409, 422).AuditRefusals(AuditAction.CaseOpen);
        group.MapGet("/cases/{caseId}/responses", GetResponses).WithName("GetCaseResponses")
            .WithSummary("督办件的承办反馈，分页（offset，limit ≤ 100）。").ProducesProblems(400);
        group.MapPost("/cases/{caseId}/responses", Respond).WithName("RespondToCase")
            .WithSummary("牵头单位反馈督办件（承办反馈，含承诺完成日期）。")
            .ReadsJson<CaseResponseBody>().ProducesProblems(409, 422).AuditRefusals(AuditAction.CaseRespond);
        group.MapPost("/cases/{caseId}/close", Close).WithName("CloseCase")
            .WithSummary("区政府办公室结案（office，或本计划所属地区的 region-office）。")
            .RequirePlanOffice("只有区政府办公室（office）或本计划所属地区的 region-office 可以结案")
            .ReadsJson<CloseCaseBody>().ProducesProblems(404, 409, 422).AuditRefusals(AuditAction.CaseClose);
        return app;
    }

    /// <summary>
    /// Alerts, optionally for one street or department: an alert goes to the assignment's unit and to the task's lead
    /// department (the filters extend the contract so each recipient reads its own).
    /// </summary>
    private static async Task<Ok<List<Alert>>> GetAlerts(PlanRoute plan, string? unitId, string? departmentId, IGrainFactory grains)
    {
        var alerts = await Supervisor(grains, plan.Id).GetAlerts();
        return TypedResults.Ok(alerts
            .Where(a => unitId is null || a.UnitId == unitId)
            .Where(a => departmentId is null || plan.Index.FindTask(a.TaskId)?.LeadDepartment == departmentId)
            .ToList());
    }

    private static async Task<Ok<SupervisionStatus>> GetStatus(PlanRoute plan, IGrainFactory grains) =>
        TypedResults.Ok(await Supervisor(grains, plan.Id).GetStatus());

    /// <summary>Cases, optionally by state, task and unit (the last two extend the contract for dashboards and curl).</summary>
    private static async Task<Results<Ok<List<SupervisionCase>>, ProblemHttpResult>> GetCases(PlanRoute plan, [WireValues(typeof(CaseState))] string? state, string? taskId, string? unitId,
        IGrainFactory grains)
    {
        CaseState? wanted = null;
        if (state is not null)
        {
            if (!WireNames.TryParse<CaseState>(state, out var parsed)) return Problems.Result(400, "state", "只能是 open、responded 或 closed");
            wanted = parsed;
        }
        var cases = await Supervisor(grains, plan.Id).GetCases(wanted);
        return TypedResults.Ok(cases.Where(c => (taskId is null || c.TaskId == taskId) && (unitId is null || c.UnitId == unitId)).ToList());
    }

    private static async Task<Results<Ok<SupervisionCase>, ProblemHttpResult>> GetCase(PlanRoute plan, string caseId, IGrainFactory grains) =>
        await Supervisor(grains, plan.Id).GetCase(caseId) is { } found ? TypedResults.Ok(found) : CaseNotFound(caseId);

    /// <summary>A case's responses in the order given, paged: <c>{total, offset, limit, items}</c>.</summary>
    private static async Task<Results<Ok<CaseResponsesPage>, ProblemHttpResult>> GetResponses(PlanRoute plan, string caseId, int? offset, int? limit,
        IGrainFactory grains)
    {
        if (offset is < 0) return Problems.Result(400, "offset", "必须是不小于 0 的整数");
        if (limit is < 1 or > 100) return Problems.Result(400, "limit", "必须是 1 到 100 之间的整数");
        if (await Supervisor(grains, plan.Id).GetCase(caseId) is not { } found) return CaseNotFound(caseId);
        var (from, size) = (offset ?? 0, limit ?? 20);
        return TypedResults.Ok(new CaseResponsesPage(found.Responses.Count, from, size, found.Responses.Skip(from).Take(size).ToList()));
    }

    private static async Task<Results<Created<SupervisionCase>, Ok<SupervisionCase>, ProblemHttpResult>> OpenCase(PlanRoute plan, Caller caller,
        HttpRequest request, IGrainFactory grains)
    {
        var (body, problem) = await JsonBody.Read<OpenCaseBody>(request);
        if (problem is not null) return problem;
        if (string.IsNullOrWhiteSpace(body!.TaskId)) return Problems.Result(400, "taskId", "必填");
        if (string.IsNullOrWhiteSpace(body.UnitId)) return Problems.Result(400, "unitId", "必填");
        if (Text("reason", body.Reason) is { } bad) return bad;
        return await Answer(await Supervisor(grains, plan.Id).OpenCase(body.TaskId, body.UnitId, body.Reason!, caller.Role), plan.Id,
            AuditAction.CaseOpen, caller, request);
    }

    private static async Task<Results<Created<SupervisionCase>, Ok<SupervisionCase>, ProblemHttpResult>> Respond(PlanRoute plan, string caseId,
        Caller caller, HttpRequest request, IGrainFactory grains)
    {
        var supervisor = Supervisor(grains, plan.Id);
        if (await supervisor.GetCase(caseId) is not { } found) return CaseNotFound(caseId);
        var lead = plan.Index.Task(found.TaskId).LeadDepartment;
        if (!caller.MayRespond(plan.Index.Plan, lead))
            return Problems.Forbidden("role", $"只有牵头单位（department:{lead}）可以反馈此督办件");
        var (body, problem) = await JsonBody.Read<CaseResponseBody>(request);
        if (problem is not null) return problem;
        if (Text("text", body!.Text) is { } bad) return bad;
        if (body.PromisedDate is null) return Problems.Result(400, "promisedDate", "必填，格式 yyyy-MM-dd");
        return await Answer(await supervisor.Respond(caseId, body.Text!, body.PromisedDate.Value, caller.Role), plan.Id,
            AuditAction.CaseRespond, caller, request);
    }

    private static async Task<Results<Created<SupervisionCase>, Ok<SupervisionCase>, ProblemHttpResult>> Close(PlanRoute plan, string caseId,
        Caller caller, HttpRequest request, IGrainFactory grains)
    {
        var (body, problem) = await JsonBody.Read<CloseCaseBody>(request);
        if (problem is not null) return problem;
        if (Text("reason", body!.Reason) is { } bad) return bad;
        return await Answer(await Supervisor(grains, plan.Id).Close(caseId, body.Reason!, caller.Role), plan.Id,
            AuditAction.CaseClose, caller, request);
    }

    private static ProblemHttpResult CaseNotFound(string caseId) => Problems.NotFound("caseId", $"督办件“{caseId}”不存在");

    private static ProblemHttpResult? Text(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Problems.Result(400, field, "必填")
        : value.Length > MaxTextLength ? Problems.Result(400, field, $"不能超过 {MaxTextLength} 个字符")
        : null;

    /// <summary>Records an accepted case action in the audit log, then answers; refusals are audited by the filter.</summary>
    private static async Task<Results<Created<SupervisionCase>, Ok<SupervisionCase>, ProblemHttpResult>> Answer(CaseOutcome outcome, string planId,
        AuditAction action, Caller caller, HttpRequest request)
    {
        if (outcome.Case is not { } c) return Problems.Result(outcome.Status, outcome.Field ?? "body", outcome.Reason ?? "");
        var services = request.HttpContext.RequestServices;
        var at = services.GetRequiredService<BusinessClock>().GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        await services.GetRequiredService<IAuditLog>().Append(new AuditEntry(at, caller.Role, action, AuditOutcome.Accepted, outcome.Status, planId, null, c.TaskId, c.UnitId, null,
            new System.Text.Json.Nodes.JsonObject { ["caseId"] = c.Id, ["state"] = c.State.WireName() }, caller.Person), request.HttpContext.RequestAborted);
        return outcome.Status == 201 ? TypedResults.Created($"/api/v1/plans/{planId}/cases/{c.Id}", c) : TypedResults.Ok(c);
    }

    private static ISupervisorGrain Supervisor(IGrainFactory grains, string planId) => grains.GetGrain<ISupervisorGrain>(planId);
}
