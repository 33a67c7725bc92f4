using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain;
using Minsheng.Domain.Plans;
using Minsheng.Grains;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Auth;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.Api;

/// <summary>Moving the simulated business clock (office only; 404 when the clock is the system's).</summary>
public static class AdminApi
{
    /// <summary>The business clock now (UTC+08:00) and whether it is simulated.</summary>
    public sealed record ClockNow(DateTimeOffset Now, ClockMode Mode);

    /// <summary>The business clock after a move, and where it was.</summary>
    public sealed record ClockMoved(DateTimeOffset Now, DateTimeOffset Previous);

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>Maps <c>GET</c> and <c>POST /api/v1/admin/clock</c>.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin").WithTags("Admin").AuditsRefusals().ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapPost("/clock", MoveClock).WithName("MoveClock")
            .WithSummary("向前调整模拟业务时钟，并按顺序执行期间到期的全部检查（仅 office，仅模拟时钟）。")
            .RequireOffice("只有区政府办公室（office）可以调整业务时钟")
            .ReadsJson<ClockBody>().ProducesProblems(404, 422)
            .AuditRefusals(AuditAction.Clock);
        group.MapGet("/schedule", async (IGrainFactory grains) => TypedResults.Ok(await Schedule(grains).GetStatus()))
            .WithName("GetSupervisionSchedule")
            .WithSummary("督办调度：已排程的计划数、最早的下一个检查时刻（null 表示全部计划的年度已结束）与上次运行时刻（仅 office）。")
            .RequireOffice("只有区政府办公室（office）可以查看督办调度");
        group.MapGet("/clock", (BusinessClock clock) => TypedResults.Ok(new ClockNow(clock.GetUtcNow().ToOffset(Beijing), clock.IsSimulated ? ClockMode.Simulated : ClockMode.System)))
            .WithName("GetClock").WithSummary("业务时钟的当前时间与模式（Simulated 或 System）。");
        if (app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<TestingOptions>>().Value.SettleEndpoint)
        {
            app.MapPost("/api/v1/admin/settle", Settle).RequireOffice("只有区政府办公室（office）可以等待汇总收敛")
                .ExcludeFromDescription();
        }
        return app;
    }

    /// <summary>The setting that maps <c>POST /api/v1/admin/settle?planId=</c> (<see cref="TestingOptions.SettleEndpoint"/>).</summary>
    public const string SettleEndpointSetting = TestingOptions.Section + ":" + nameof(TestingOptions.SettleEndpoint);

    private static ISupervisionScheduleGrain Schedule(IGrainFactory grains) => grains.GetGrain<ISupervisionScheduleGrain>(ISupervisionScheduleGrain.Key);

    /// <summary>Answers 204 once everything accepted before the request has reached the plan's rollups, supervision and live events.</summary>
    private static async Task<IResult> Settle(string planId, PlanCatalog catalog, IGrainFactory grains)
    {
        if (catalog.Find(planId) is null) return CatalogApi.PlanNotFound(planId);
        await grains.GetGrain<IPlanSettlerGrain>(planId).Settle();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ClockMoved>, ProblemHttpResult>> MoveClock(Caller caller, HttpRequest request, BusinessClock clock,
        PlanCatalog catalog, IGrainFactory grains, IAuditLog audit, Minsheng.Domain.Limits.InstantWindow window)
    {
        if (!clock.IsSimulated) return Problems.NotFound("path", "业务时钟为系统时钟（Minsheng:Clock:Mode=System），不能调整");
        var (body, problem) = await JsonBody.Read<ClockBody>(request);
        if (problem is not null) return problem;
        if (body!.Parse() is not { } now) return Problems.Result(400, "now", "必填，ISO 8601 时间且须带时区，如 2024-12-01T09:00:00+08:00");
        if (!window.Contains(now)) return Problems.Result(400, "now", $"须在计划时间范围（{window.Describe()}）之内");
        if (now < clock.GetUtcNow()) return Problems.Result(422, "now", "业务时钟只能向前调整");

        // The cluster's clock decides (a move through another silo may have gone further); this silo adopts it at once,
        // the others when the grain tells them.
        var moved = await grains.GetGrain<IClusterClockGrain>(IClusterClockGrain.Key).MoveTo(now);
        if (!moved.Moved)
        {
            clock.Adopt(moved.Now);
            return Problems.Result(422, "now", "业务时钟只能向前调整");
        }
        clock.Adopt(now);
        var previous = moved.From;
        await audit.Append(new AuditEntry(now, caller.Role, AuditAction.Clock, AuditOutcome.Accepted, 200, null,
            Detail: new System.Text.Json.Nodes.JsonObject { ["from"] = previous, ["to"] = now }, Person: caller.Person));
        // The one schedule runs every plan due by then (a bounded number at a time), each through its checks in order.
        await Schedule(grains).RunDue(now);
        return TypedResults.Ok(new ClockMoved(now.ToOffset(Beijing), previous.ToOffset(Beijing)));
    }
}
