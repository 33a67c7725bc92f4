using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Grains;
using Minsheng.Silo.Live;

namespace Minsheng.Silo.Api;

/// <summary>
/// <c>GET /api/v1/plans/{planId}/events</c>: Server-Sent Events. A <c>snapshot</c> of the plan rollup first, then
/// <c>progress</c>, <c>status</c> and <c>case</c> events as they happen, with a comment heartbeat to keep proxies open.
/// </summary>
public static class EventsApi
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/plans/{planId}/events", Stream).WithTags("Events").WithName("PlanEvents");
        return app;
    }

    private static async Task Stream(string planId, HttpContext context, PlanCatalog catalog, LiveEventHub hub,
        RollupReader reader, IOptions<JsonOptions> json, RateLimitOptions limits, StreamSlots slots)
    {
        if (catalog.Find(planId) is not { } plan)
        {
            await CatalogApi.PlanNotFound(planId).ExecuteAsync(context);
            return;
        }
        var abort = context.RequestAborted;
        using var slot = slots.TryTake(RateLimits.PartitionKey(context), limits.EventStreamsPerToken);
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = "30";
            await Problems.Result(429, "Authorization", $"同一令牌最多同时打开 {limits.EventStreamsPerToken} 个事件流").ExecuteAsync(context);
            return;
        }
        await hub.Subscribed.WaitAsync(TimeSpan.FromSeconds(30), abort);
        using var lease = hub.Open(planId);
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";

        var facts = await reader.Grains.GetGrain<IPlanGrain>(planId).GetFacts();
        var snapshot = reader.Calculator(plan, facts).Plan();
        await Write(context, "snapshot", JsonSerializer.Serialize(snapshot, json.Value.SerializerOptions), abort);

        while (!abort.IsCancellationRequested)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(abort);
            beat.CancelAfter(Heartbeat);
            try
            {
                while (lease.Reader.TryRead(out var e) || await lease.Reader.WaitToReadAsync(beat.Token) && lease.Reader.TryRead(out e))
                    await Write(context, e.Kind, e.Data, abort);
            }
            catch (OperationCanceledException) when (!abort.IsCancellationRequested)
            {
                await context.Response.WriteAsync(": heartbeat\n\n", abort);
                await context.Response.Body.FlushAsync(abort);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static async Task Write(HttpContext context, string kind, string data, CancellationToken abort)
    {
        await context.Response.WriteAsync($"event: {kind}\ndata: {data}\n\n", abort);
        await context.Response.Body.FlushAsync(abort);
    }
}
