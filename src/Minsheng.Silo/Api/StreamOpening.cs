using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Silo.Live;

namespace Minsheng.Silo.Api;

/// <summary>What every event stream does before its first event, plan or region alike.</summary>
internal static class StreamOpening
{
    /// <summary>
    /// Takes one of the token's stream slots, counted across the cluster (429 with Retry-After when it holds them all;
    /// the slot is released with the response), subscribes this silo to the stream's plans for as long as the response lasts (waiting until it
    /// receives their events), and turns proxy buffering off. Null when the stream may start; otherwise the problem to answer.
    /// </summary>
    public static async Task<ProblemHttpResult?> Open(HttpContext context, LiveEventSubscription subscription, IReadOnlyCollection<string> planIds,
        RateLimitOptions limits, StreamSlots slots)
    {
        var slot = await slots.TryTake(RateLimits.PartitionKey(context), limits.EventStreamsPerToken);
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = "30";
            return Problems.Result(429, "Authorization", $"同一令牌最多同时打开 {limits.EventStreamsPerToken} 个事件流");
        }
        context.Response.RegisterForDispose(slot);
        context.Response.RegisterForDispose(await subscription.Watch(planIds, context.RequestAborted));
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return null;
    }

    /// <summary>
    /// How long the stream runs: until the client leaves, or until this silo begins to stop (SIGTERM). Then the stream
    /// ends cleanly, the client reconnects (through the proxy, to another silo) with its Last-Event-ID, and a long-lived
    /// stream never holds the silo's shutdown until its timeout.
    /// </summary>
    public static CancellationToken Lifetime(HttpContext context)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        context.Response.RegisterForDispose(linked);
        return linked.Token;
    }
}
