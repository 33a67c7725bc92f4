using Minsheng.Domain.Plans;
using Minsheng.Grains;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Api;

/// <summary>Moving the simulated business clock (office only; 404 when the clock is the system's).</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/admin/clock", MoveClock).WithTags("Admin").WithName("MoveClock")
            .WithSummary("Moves the simulated clock forward and runs every check that became due, in order.")
            .AuditRefusals(AuditActions.Clock);
        app.MapGet("/api/v1/admin/clock", (BusinessClock clock) =>
            TypedResults.Ok(new { now = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)), mode = clock.IsSimulated ? "Simulated" : "System" }));
        return app;
    }

    private static async Task<IResult> MoveClock(HttpRequest request, BusinessClock clock, PlanCatalog catalog, IGrainFactory grains, IAuditLog audit,
        Minsheng.Domain.Limits.InstantWindow window)
    {
        if (!clock.IsSimulated) return Problems.NotFound("path", "业务时钟为系统时钟（Minsheng:Clock:Mode=System），不能调整");
        var caller = Caller.From(request.HttpContext);
        if (!caller.IsOffice) return Problems.Forbidden("role", "只有区政府办公室（office）可以调整业务时钟");
        var (body, problem) = await JsonBody.Read<ClockBody>(request);
        if (problem is not null) return problem;
        if (body!.Parse() is not { } now) return Problems.Result(400, "now", "必填，ISO 8601 时间且须带时区，如 2024-12-01T09:00:00+08:00");
        if (!window.Contains(now)) return Problems.Result(400, "now", $"须在计划时间范围（{window.Describe()}）之内");
        if (now < clock.GetUtcNow()) return Problems.Result(422, "now", "业务时钟只能向前调整");

        var previous = clock.MoveTo(now);
        await audit.Append(new AuditEntry(now, caller.Role, AuditActions.Clock, "accepted", 200, null,
            Detail: new System.Text.Json.Nodes.JsonObject { ["from"] = previous, ["to"] = now }, Person: caller.Person));
        foreach (var plan in catalog.Plans)
            await grains.GetGrain<ISupervisorGrain>(plan.Id).AdvanceTo(now);
        var offset = TimeSpan.FromHours(8);
        return TypedResults.Ok(new { now = now.ToOffset(offset), previous = previous.ToOffset(offset) });
    }
}
