using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Minsheng.Domain;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Grains;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
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
    /// <summary>The events only the stream itself writes (the rest come from grains, <see cref="PlanEventKind"/>).</summary>
    public static readonly string Snapshot = StreamControl.Snapshot.WireName(), Resync = StreamControl.Resync.WireName(),
        Heartbeat = StreamControl.Heartbeat.WireName();

    /// <summary>
    /// Every event the stream can carry: its name (<c>event:</c>), the type its JSON <c>data:</c> is serialized from,
    /// and what it means. The OpenAPI document describes the stream from this list.
    /// </summary>
    public static IReadOnlyList<StreamEvent> Events { get; } =
    [
        new(Snapshot, typeof(PlanRollup), true, "计划汇总的完整快照：连接时先发送一次；无法续传或连接落后时在 resync 之后再发送一次。id 为快照已包含的最后一个事件。"),
        new(PlanEventKind.Progress.WireName(), typeof(ProgressEventData), true, "一条进度上报（或更正）被接受。"),
        new(PlanEventKind.Status.WireName(), typeof(StatusChanged), true, "一个分解任务指标的状态发生变化。"),
        new(PlanEventKind.Case.WireName(), typeof(CaseEventData), true, "督办件被立案、反馈或办结（data.case 为变化后的督办件）。"),
        new(PlanEventKind.Ranking.WireName(), typeof(RankingEventData), true, "发布了一期每周晾晒排名。"),
        new(PlanEventKind.Forecast.WireName(), typeof(ForecastChanged), true, "每周检查按单位自身进度预测：一个分解任务指标预计逾期（atRisk 为 true，同时产生 forecastLate 预警），或不再预计逾期。"),
        new(PlanEventKind.Evaluation.WireName(), typeof(EvaluationEventData), true, "发布了一次月度评估（month 为 yyyy-MM）或年度综合考评输入（month 为 final）。"),
        new(Resync, typeof(ResyncEventData), true, "无法按 Last-Event-ID 续传或连接落后于补发缓冲：说明原因，随后是一个新的 snapshot。"),
        new(Heartbeat, typeof(HeartbeatEventData), false, "心跳（无 id），空闲时每 15 秒一次，保持代理连接。"),
    ];

    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(15);

    /// <summary>The client's reconnection delay the stream asks for.</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    /// <summary>Maps <c>GET /api/v1/plans/{planId}/events</c>.</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Events").RequirePlan().ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapGet("/events", Stream).WithName("PlanEvents")
            .WithSummary("计划的实时事件流（Server-Sent Events）：先 snapshot，再 progress、status、case 等事件；带 Last-Event-ID 重连可续传。")
            .Produces<string>(200, "text/event-stream")
            .AddOpenApiOperationTransformer(OpenApi.EventStreamDocs.Describe);
        return app;
    }

    private static async Task<IResult> Stream(PlanRoute route, HttpContext context, LiveEventHub hub, LiveEventSubscription subscription,
        RollupReader reader, IOptions<JsonOptions> json, RateLimitOptions limits, StreamSlots slots,
        [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Last-Event-ID")] string? lastEventId)
    {
        var plan = route.Index;
        if (await StreamOpening.Open(context, subscription, [plan.Id], limits, slots) is { } refused) return refused;
        var stream = new EventStream(plan, hub, reader, json.Value.SerializerOptions, string.IsNullOrEmpty(lastEventId) ? null : lastEventId);
        return TypedResults.ServerSentEvents(stream.Read(StreamOpening.Lifetime(context)));
    }

    /// <summary>One connection's view of the plan's event log.</summary>
    private sealed class EventStream(PlanIndex plan, LiveEventHub hub, RollupReader reader, JsonSerializerOptions json, string? lastEventId)
    {
        private readonly PlanEventLog _log = hub.Log(plan.Id);
        private string? _epoch;

        public async IAsyncEnumerable<SseItem<string>> Read([EnumeratorCancellation] CancellationToken abort)
        {
            long cursor;
            var resume = PlanEventLog.Parse(lastEventId);
            // Ids are the plan's events grain's numbers, the same on every silo: this silo resumes from its own log when
            // it holds what followed, else from the events grain, which reads the plan's journal (every event, durably).
            SequencedEvents? missed = null;
            if (lastEventId is null)
            {
                (cursor, _epoch) = _log.Tail;
                yield return await Snapshot(cursor);
            }
            else if (resume is { } r && _log.CanResume(r.Epoch, r.Sequence))
            {
                (cursor, _epoch) = (r.Sequence, r.Epoch);
            }
            else if (resume is { } g && await reader.Grains.GetGrain<IPlanEventsGrain>(plan.Id).ReadAfter(g.Epoch, g.Sequence) is { } fetched)
            {
                missed = fetched;
                (cursor, _epoch) = (fetched.First - 1 + fetched.Events.Count, fetched.Epoch);
            }
            else
            {
                (cursor, _epoch) = _log.Tail;
                var known = resume is { } k && k.Epoch == _epoch;
                yield return ResyncItem(cursor, known ? ResyncReason.Expired : ResyncReason.UnknownId, known
                    ? "断线期间的事件已超出可补发范围，以下为最新快照"
                    : "无法从该事件编号续传（该编号不属于本计划当前的事件流，或服务数据已重置），以下为最新快照");
                yield return await Snapshot(cursor);
            }
            if (missed is not null)
                for (var i = 0; i < missed.Events.Count; i++)
                    yield return new SseItem<string>(missed.Events[i].Data, missed.Events[i].Kind.WireName()) { EventId = PlanEventLog.IdOf(missed.Epoch, missed.First + i) };

            while (!abort.IsCancellationRequested)
            {
                var read = _log.ReadAfter(cursor, _epoch);
                if (read.Gap && _epoch is { } epoch
                    && await reader.Grains.GetGrain<IPlanEventsGrain>(plan.Id).ReadAfter(epoch, cursor) is { Events.Count: > 0 } kept)
                {
                    // Not (or no longer) on this silo, still in the plan's journal: read on from there.
                    for (var i = 0; i < kept.Events.Count; i++)
                        yield return new SseItem<string>(kept.Events[i].Data, kept.Events[i].Kind.WireName()) { EventId = PlanEventLog.IdOf(kept.Epoch, kept.First + i) };
                    cursor = kept.First - 1 + kept.Events.Count;
                    continue;
                }
                if (read.Gap)
                {
                    // This connection fell behind the replay buffer (or this silo missed events): say so, then start again from a fresh snapshot.
                    (cursor, _epoch) = (read.Cursor, read.Epoch);
                    yield return ResyncItem(cursor, ResyncReason.FellBehind, "连接过慢，部分事件已无法补发，以下为最新快照");
                    yield return await Snapshot(cursor);
                    continue;
                }
                foreach (var e in read.Events)
                    yield return new SseItem<string>(e.Event.Data, e.Event.Kind.WireName()) { EventId = PlanEventLog.IdOf(_epoch, e.Sequence) };
                cursor = read.Cursor;
                if (read.Events.Count > 0) continue;

                var beat = false;
                try
                {
                    await _log.WaitAfter(cursor).WaitAsync(HeartbeatEvery, abort);
                }
                catch (TimeoutException)
                {
                    beat = true;
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                if (beat) yield return new SseItem<string>("{}", EventsApi.Heartbeat) { ReconnectionInterval = Retry };
            }
        }

        /// <summary>The plan rollup now, under the id of the last event it already includes (events after it follow).</summary>
        private async Task<SseItem<string>> Snapshot(long cursor)
        {
            var facts = await reader.Grains.GetGrain<IPlanGrain>(plan.Id).GetFacts();
            var snapshot = reader.Calculator(plan, facts).Plan();
            return new SseItem<string>(JsonSerializer.Serialize(snapshot, json), EventsApi.Snapshot)
            {
                EventId = PlanEventLog.IdOf(_epoch, cursor),
                ReconnectionInterval = Retry,
            };
        }

        private SseItem<string> ResyncItem(long cursor, ResyncReason reason, string message) =>
            new(JsonSerializer.Serialize(new ResyncEventData(reason, message, lastEventId), json), EventsApi.Resync) { EventId = PlanEventLog.IdOf(_epoch, cursor) };
    }
}

/// <summary>One kind of event on the stream, for the OpenAPI document: name, data type, whether it has an id, meaning.</summary>
public sealed record StreamEvent(string Name, Type Data, bool HasId, string Description);

/// <summary>The events the stream itself writes, beside the grains' <see cref="PlanEventKind"/>; the wire name is the SSE <c>event:</c> name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StreamControl>))]
public enum StreamControl
{
    [JsonStringEnumMemberName("snapshot")] Snapshot,
    [JsonStringEnumMemberName("resync")] Resync,
    [JsonStringEnumMemberName("heartbeat")] Heartbeat,
}

/// <summary>Why a <c>resync</c> event was sent.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResyncReason>))]
public enum ResyncReason
{
    /// <summary>The Last-Event-ID is not of the plan's current stream (another epoch: its numbering started over) or not an id at all.</summary>
    [JsonStringEnumMemberName("unknownId")] UnknownId,

    /// <summary>The Last-Event-ID is older than what this silo and the plan's events grain keep.</summary>
    [JsonStringEnumMemberName("expired")] Expired,

    /// <summary>The connection read too slowly and fell behind the replay buffer.</summary>
    [JsonStringEnumMemberName("fellBehind")] FellBehind,
}

/// <summary>The payload of a <c>resync</c> event: why, in Chinese, and the Last-Event-ID the client sent (null when none).</summary>
public sealed record ResyncEventData(ResyncReason Reason, string Message, string? LastEventId);

/// <summary>The payload of a <c>heartbeat</c> event: an empty object.</summary>
public sealed record HeartbeatEventData;
