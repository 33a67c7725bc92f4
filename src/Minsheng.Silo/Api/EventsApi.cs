using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Grains;
using Minsheng.Silo.Live;

namespace Minsheng.Silo.Api;

/// <summary>
/// <c>GET /api/v1/plans/{planId}/events</c>: Server-Sent Events. A <c>snapshot</c> of the plan rollup first, then
/// <c>progress</c>, <c>status</c> and <c>case</c> events as they happen, each with an <c>id:</c>. A client that
/// reconnects with <c>Last-Event-ID</c> gets what it missed instead of a snapshot; when that is no longer possible (the
/// id is from another silo or run, or older than the replay buffer), and when a slow client falls behind the buffer,
/// it gets a <c>resync</c> event saying so and a fresh <c>snapshot</c>. A <c>heartbeat</c> event (no id) keeps
/// proxies open.
/// </summary>
public static class EventsApi
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>The client's reconnection delay the stream asks for.</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    /// <summary>Maps <c>GET /api/v1/plans/{planId}/events</c>.</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Events").RequirePlan().ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapGet("/events", Stream).WithName("PlanEvents")
            .WithSummary("计划的实时事件流（Server-Sent Events）：先 snapshot，再 progress、status、case 等事件；带 Last-Event-ID 重连可续传。")
            .Produces<string>(200, "text/event-stream");
        return app;
    }

    private static async Task<IResult> Stream(PlanRoute route, HttpContext context, LiveEventHub hub,
        RollupReader reader, IOptions<JsonOptions> json, RateLimitOptions limits, StreamSlots slots)
    {
        var plan = route.Index;
        var slot = slots.TryTake(RateLimits.PartitionKey(context), limits.EventStreamsPerToken);
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = "30";
            return Problems.Result(429, "Authorization", $"同一令牌最多同时打开 {limits.EventStreamsPerToken} 个事件流");
        }
        context.Response.RegisterForDispose(slot);
        await hub.Subscribed.WaitAsync(TimeSpan.FromSeconds(30), context.RequestAborted);
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        var stream = new EventStream(plan, hub, reader, json.Value.SerializerOptions, string.IsNullOrEmpty(lastEventId) ? null : lastEventId);
        return TypedResults.ServerSentEvents(stream.Read(context.RequestAborted));
    }

    /// <summary>One connection's view of the plan's event log.</summary>
    private sealed class EventStream(PlanIndex plan, LiveEventHub hub, RollupReader reader, JsonSerializerOptions json, string? lastEventId)
    {
        private readonly PlanEventLog _log = hub.Log(plan.Id);

        public async IAsyncEnumerable<SseItem<string>> Read([EnumeratorCancellation] CancellationToken abort)
        {
            long cursor;
            if (lastEventId is null)
            {
                cursor = _log.Last;
                yield return await Snapshot(cursor);
            }
            else if (hub.SequenceOf(lastEventId) is { } resumeFrom && !_log.ReadAfter(resumeFrom, 0).Gap)
            {
                cursor = resumeFrom;
            }
            else
            {
                cursor = _log.Last;
                var known = hub.SequenceOf(lastEventId) is not null;
                yield return Resync(cursor, known ? "expired" : "unknownId", known
                    ? "断线期间的事件已超出可补发范围，以下为最新快照"
                    : "无法从该事件编号续传（服务已重启或连接到了另一节点），以下为最新快照");
                yield return await Snapshot(cursor);
            }

            while (!abort.IsCancellationRequested)
            {
                var read = _log.ReadAfter(cursor);
                if (read.Gap)
                {
                    // This connection fell behind the replay buffer: say so, then start again from a fresh snapshot.
                    cursor = read.Cursor;
                    yield return Resync(cursor, "fellBehind", "连接过慢，部分事件已无法补发，以下为最新快照");
                    yield return await Snapshot(cursor);
                    continue;
                }
                foreach (var e in read.Events)
                    yield return new SseItem<string>(e.Event.Data, e.Event.Kind) { EventId = hub.IdOf(e.Sequence) };
                cursor = read.Cursor;
                if (read.Events.Count > 0) continue;

                var beat = false;
                try
                {
                    await _log.WaitAfter(cursor).WaitAsync(Heartbeat, abort);
                }
                catch (TimeoutException)
                {
                    beat = true;
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                if (beat) yield return new SseItem<string>("{}", "heartbeat") { ReconnectionInterval = Retry };
            }
        }

        /// <summary>The plan rollup now, under the id of the last event it already includes (events after it follow).</summary>
        private async Task<SseItem<string>> Snapshot(long cursor)
        {
            var facts = await reader.Grains.GetGrain<IPlanGrain>(plan.Id).GetFacts();
            var snapshot = reader.Calculator(plan, facts).Plan();
            return new SseItem<string>(JsonSerializer.Serialize(snapshot, json), "snapshot")
            {
                EventId = hub.IdOf(cursor),
                ReconnectionInterval = Retry,
            };
        }

        private SseItem<string> Resync(long cursor, string reason, string message) =>
            new(JsonSerializer.Serialize(new { reason, message, lastEventId }, json), "resync") { EventId = hub.IdOf(cursor) };
    }
}
