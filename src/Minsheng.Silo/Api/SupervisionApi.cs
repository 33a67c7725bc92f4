using Minsheng.Domain.Plans;
using Minsheng.Domain.Supervision;
using Minsheng.Grains;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Api;

/// <summary>Alerts and cases (个案督办): the lead department answers, the office opens by hand and closes.</summary>
public static class SupervisionApi
{
    private const int MaxTextLength = 2000;

    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Supervision");
        group.MapGet("/alerts", GetAlerts).WithName("GetAlerts");
        group.MapGet("/supervision", async (string planId, PlanCatalog catalog, IGrainFactory grains) =>
            catalog.Find(planId) is null ? CatalogApi.PlanNotFound(planId) : TypedResults.Ok(await Supervisor(grains, planId).GetStatus()))
            .WithName("GetSupervisionStatus").WithSummary("How far supervision has run (operators).");
        group.MapGet("/cases", GetCases).WithName("GetCases");
        group.MapGet("/cases/{caseId}", GetCase).WithName("GetCase");
        group.MapPost("/cases", OpenCase).WithName("OpenCase").AuditRefusals(AuditActions.CaseOpen);
        group.MapGet("/cases/{caseId}/responses", GetResponses).WithName("GetCaseResponses")
            .WithSummary("A case's responses, a page at a time (offset, limit ≤ 100).");
        group.MapPost("/cases/{caseId}/responses", Respond).WithName("RespondToCase").AuditRefusals(AuditActions.CaseRespond);
        group.MapPost("/cases/{caseId}/close", Close).WithName("CloseCase").AuditRefusals(AuditActions.CaseClose);
        return app;
    }

    /// <summary>
    /// Alerts, optionally for one street or department: an alert goes to the assignment's unit and to the task's lead
    /// department (the filters extend the contract so each recipient reads its own).
    /// </summary>
    private static async Task<IResult> GetAlerts(string planId, string? unitId, string? departmentId, PlanCatalog catalog, IGrainFactory grains)
    {
        if (catalog.Find(planId) is not { } plan) return CatalogApi.PlanNotFound(planId);
        var alerts = await Supervisor(grains, planId).GetAlerts();
        return TypedResults.Ok(alerts
            .Where(a => unitId is null || a.UnitId == unitId)
            .Where(a => departmentId is null || plan.FindTask(a.TaskId)?.LeadDepartment == departmentId)
            .ToList());
    }

    /// <summary>Cases, optionally by state, task and unit (the last two extend the contract for dashboards and curl).</summary>
    private static async Task<IResult> GetCases(string planId, string? state, string? taskId, string? unitId, PlanCatalog catalog, IGrainFactory grains)
    {
        if (catalog.Find(planId) is null) return CatalogApi.PlanNotFound(planId);
        if (state is not null && !CaseStates.IsKnown(state)) return Problems.Result(400, "state", "只能是 open、responded 或 closed");
        var cases = await Supervisor(grains, planId).GetCases(state);
        return TypedResults.Ok(cases.Where(c => (taskId is null || c.TaskId == taskId) && (unitId is null || c.UnitId == unitId)).ToList());
    }

    private static async Task<IResult> GetCase(string planId, string caseId, PlanCatalog catalog, IGrainFactory grains)
    {
        if (catalog.Find(planId) is null) return CatalogApi.PlanNotFound(planId);
        return await Supervisor(grains, planId).GetCase(caseId) is { } found ? TypedResults.Ok(found) : Problems.NotFound("caseId", $"督办件“{caseId}”不存在");
    }

    /// <summary>A case's responses in the order given, paged: <c>{total, offset, limit, items}</c>.</summary>
    private static async Task<IResult> GetResponses(string planId, string caseId, int? offset, int? limit, PlanCatalog catalog, IGrainFactory grains)
    {
        if (catalog.Find(planId) is null) return CatalogApi.PlanNotFound(planId);
        if (offset is < 0) return Problems.Result(400, "offset", "必须是不小于 0 的整数");
        if (limit is < 1 or > 100) return Problems.Result(400, "limit", "必须是 1 到 100 之间的整数");
        if (await Supervisor(grains, planId).GetCase(caseId) is not { } found) return Problems.NotFound("caseId", $"督办件“{caseId}”不存在");
        var (from, size) = (offset ?? 0, limit ?? 20);
        return TypedResults.Ok(new { total = found.Responses.Count, offset = from, limit = size, items = found.Responses.Skip(from).Take(size).ToList() });
    }

    private static async Task<IResult> OpenCase(string planId, HttpRequest request, PlanCatalog catalog, IGrainFactory grains)
    {
        if (catalog.Find(planId) is null) return CatalogApi.PlanNotFound(planId);
        var caller = Caller.From(request.HttpContext);
        if (!caller.IsOffice) return Problems.Forbidden("role", "只有区政府办公室（office）可以手动发起督办");
        var (body, problem) = await JsonBody.Read<OpenCaseBody>(request);
        if (problem is not null) return problem;
        if (string.IsNullOrWhiteSpace(body!.TaskId)) return Problems.Result(400, "taskId", "必填");
        if (string.IsNullOrWhiteSpace(body.UnitId)) return Problems.Result(400, "unitId", "必填");
        if (Text("reason", body.Reason) is { } bad) return bad;
        return await Answer(await Supervisor(grains, planId).OpenCase(body.TaskId, body.UnitId, body.Reason!, caller.Role), planId,
            AuditActions.CaseOpen, caller, request);
    }

    private static async Task<IResult> Respond(string planId, string caseId, HttpRequest request, PlanCatalog catalog, IGrainFactory grains)
    {
        if (catalog.Find(planId) is not { } plan) return CatalogApi.PlanNotFound(planId);
        var supervisor = Supervisor(grains, planId);
        if (await supervisor.GetCase(caseId) is not { } found) return Problems.NotFound("caseId", $"督办件“{caseId}”不存在");
        var caller = Caller.From(request.HttpContext);
        var lead = plan.Task(found.TaskId).LeadDepartment;
        if (!caller.IsOffice && !(caller.Kind == CallerKind.Department && caller.UnitId == lead))
            return Problems.Forbidden("role", $"只有牵头单位（department:{lead}）可以反馈此督办件");
        var (body, problem) = await JsonBody.Read<CaseResponseBody>(request);
        if (problem is not null) return problem;
        if (Text("text", body!.Text) is { } bad) return bad;
        if (body.PromisedDate is null) return Problems.Result(400, "promisedDate", "必填，格式 yyyy-MM-dd");
        return await Answer(await supervisor.Respond(caseId, body.Text!, body.PromisedDate.Value, caller.Role), planId,
            AuditActions.CaseRespond, caller, request);
    }

    private static async Task<IResult> Close(string planId, string caseId, HttpRequest request, PlanCatalog catalog, IGrainFactory grains)
    {
        if (catalog.Find(planId) is null) return CatalogApi.PlanNotFound(planId);
        var caller = Caller.From(request.HttpContext);
        if (!caller.IsOffice) return Problems.Forbidden("role", "只有区政府办公室（office）可以结案");
        var (body, problem) = await JsonBody.Read<CloseCaseBody>(request);
        if (problem is not null) return problem;
        if (Text("reason", body!.Reason) is { } bad) return bad;
        return await Answer(await Supervisor(grains, planId).Close(caseId, body.Reason!, caller.Role), planId,
            AuditActions.CaseClose, caller, request);
    }

    private static IResult? Text(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Problems.Result(400, field, "必填")
        : value.Length > MaxTextLength ? Problems.Result(400, field, $"不能超过 {MaxTextLength} 个字符")
        : null;

    /// <summary>Records an accepted case action in the audit log, then answers; refusals are audited by the filter.</summary>
    private static async Task<IResult> Answer(CaseOutcome outcome, string planId, string action, Caller caller, HttpRequest request)
    {
        if (outcome.Case is not { } c) return Problems.Result(outcome.Status, outcome.Field ?? "body", outcome.Reason ?? "");
        var services = request.HttpContext.RequestServices;
        var at = services.GetRequiredService<BusinessClock>().GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        await services.GetRequiredService<IAuditLog>().Append(new AuditEntry(at, caller.Role, action, "accepted", outcome.Status, planId, null, c.TaskId, c.UnitId, null,
            new System.Text.Json.Nodes.JsonObject { ["caseId"] = c.Id, ["state"] = c.State }, caller.Person), request.HttpContext.RequestAborted);
        return outcome.Status == 201 ? TypedResults.Created($"/api/v1/plans/{planId}/cases/{c.Id}", c) : TypedResults.Ok(c);
    }

    private static ISupervisorGrain Supervisor(IGrainFactory grains, string planId) => grains.GetGrain<ISupervisorGrain>(planId);
}
