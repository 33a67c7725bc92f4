using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Minsheng.Domain;
using Minsheng.Domain.Plans;
using Minsheng.Grains;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
using Minsheng.Silo.Live;

namespace Minsheng.Silo.Api;

/// <summary>
/// <c>GET /api/v1/regions/{regionId}/events</c>: Server-Sent Events for a region's big screen. A <c>snapshot</c> of the
/// region rollup first, then a <c>rollup</c> event with the whole recomputed rollup whenever a plan of the region
/// changes (a <c>progress</c> or <c>status</c> event on that plan's stream), at most one per <see cref="Coalesce"/>.
/// It reads the same per-plan logs on this silo as the plan streams, and computes exactly what
/// <c>GET .../rollup</c> answers, so nothing new is kept or fanned out for regions. Events carry no id: a client that
/// reconnects gets a fresh snapshot, which is all a region view needs (there is nothing to replay but the latest numbers).
/// </summary>
public static class RegionEventsApi
{
    /// <summary>The event carrying a recomputed region rollup.</summary>
    public const string Rollup = "rollup";

    /// <summary>Every event of the region stream, for the OpenAPI document (as <see cref="EventsApi.Events"/> for plans).</summary>
    public static IReadOnlyList<StreamEvent> Events { get; } =
    [
        new(EventsApi.Snapshot, typeof(RegionsApi.RegionRollup), false, "地区汇总的完整快照（与 GET .../rollup 相同）：连接时发送一次。"),
        new(Rollup, typeof(RegionsApi.RegionRollup), false, "本地区某个计划有进度或状态变化后重新计算的地区汇总（整份，与 GET .../rollup 相同）；短时间内的多次变化合并为一个事件。"),
        new(EventsApi.Heartbeat, typeof(HeartbeatEventData), false, "心跳，空闲时每 15 秒一次，保持代理连接。"),
    ];

    /// <summary>A burst of reports becomes one rollup event per connection per this interval.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    /// <summary>Maps <c>GET /api/v1/regions/{regionId}/events</c>.</summary>
    public static IEndpointRouteBuilder MapRegionEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/regions/{regionId}/events", Stream).WithTags("Regions").WithName("RegionEvents")
            .WithSummary("地区的实时事件流（Server-Sent Events）：先 snapshot（地区汇总），本地区计划有进度或状态变化时发送重新计算的 rollup。")
            .ProducesProblems(ApiProblemMetadata.Guarded).ProducesProblems(404)
            .Produces<string>(200, "text/event-stream")
            .AddOpenApiOperationTransformer(OpenApi.EventStreamDocs.DescribeRegion);
        return app;
    }

    private static async Task<IResult> Stream(string regionId, HttpContext context, Caller caller, LiveEventHub hub, LiveEventSubscription subscription,
        RollupReader reader, BusinessClock clock, IOptions<JsonOptions> json, RateLimitOptions limits, StreamSlots slots)
    {
        if (RegionsApi.Readable(regionId, caller, reader.Catalog, out var region) is { } refused) return refused;
        // The same slots as the plan streams: a region screen counts against the token's open streams.
        if (await StreamOpening.Open(context, subscription, [.. region.Plans.Select(p => p.Id)], limits, slots) is { } full) return full;
        var stream = new RegionStream(region, hub, reader, clock, json.Value.SerializerOptions);
        return TypedResults.ServerSentEvents(stream.Read(StreamOpening.Lifetime(context)));
    }

    /// <summary>One connection: a cursor into each of the region's plan logs.</summary>
    private sealed class RegionStream(RegionPlans region, LiveEventHub hub, RollupReader reader, BusinessClock clock, JsonSerializerOptions json)
    {
        private readonly PlanEventLog[] _logs = region.Plans.Select(p => hub.Log(p.Id)).ToArray();
        private readonly long[] _cursors = new long[region.Plans.Count];
        private readonly string?[] _epochs = new string?[region.Plans.Count];

        /// <summary>The newest reported version per plan and assignment metric since the last rollup sent.</summary>
        private readonly Dictionary<(int Plan, string Task, string Unit, string Metric), long> _reported = [];

        public async IAsyncEnumerable<SseItem<string>> Read([EnumeratorCancellation] CancellationToken abort)
        {
            for (var i = 0; i < _logs.Length; i++) (_cursors[i], _epochs[i]) = _logs[i].Tail;
            yield return await Item(EventsApi.Snapshot);
            while (!abort.IsCancellationRequested)
            {
                var changed = Drain();
                var beat = false;
                try
                {
                    if (changed)
                    {
                        await Task.Delay(Coalesce, abort);
                        Drain();
                        await Caught();
                    }
                    else
                    {
                        await Task.WhenAny(_logs.Select((log, i) => log.WaitAfter(_cursors[i]))).WaitAsync(HeartbeatEvery, abort);
                        continue;
                    }
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
                else yield return await Item(Rollup);
            }
        }

        /// <summary>Moves every cursor to its log's end; true when a plan's progress or status changed (or events were lost).</summary>
        private bool Drain()
        {
            var changed = false;
            for (var i = 0; i < _logs.Length; i++)
            {
                while (true)
                {
                    var read = _logs[i].ReadAfter(_cursors[i], _epochs[i]);
                    (_cursors[i], _epochs[i]) = (read.Cursor, read.Epoch);
                    if (read.Gap) changed = true;
                    foreach (var e in read.Events)
                    {
                        if (e.Event.Kind == PlanEventKind.Status) changed = true;
                        if (e.Event.Kind != PlanEventKind.Progress || e.Event.PayloadAs<ProgressEventData>() is not { } p) continue;
                        changed = true;
                        var key = (i, p.TaskId, p.UnitId, p.MetricId);
                        if (!_reported.TryGetValue(key, out var v) || v < p.Version) _reported[key] = p.Version;
                    }
                    if (read.Events.Count == 0 || read.Gap) break;
                }
            }
            return changed;
        }

        /// <summary>
        /// A progress event leaves the owner as its fact leaves for the plan grain, so it may arrive first: waits (as
        /// <c>?after=</c> does, bounded) until each plan grain holds the versions reported, so the rollup sent includes them.
        /// </summary>
        private async Task Caught()
        {
            var waits = _reported.Select(r => reader.Grains.GetGrain<IPlanGrain>(region.Plans[r.Key.Plan].Id)
                .Includes(r.Key.Task, r.Key.Unit, r.Key.Metric, r.Value, RollupReader.AfterWait));
            _reported.Clear();
            await Task.WhenAll(waits);
        }

        private async Task<SseItem<string>> Item(string kind)
        {
            var at = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
            var rollup = await RegionsApi.Rollup(region, null, at, reader);
            return new SseItem<string>(JsonSerializer.Serialize(rollup, json), kind) { ReconnectionInterval = Retry };
        }
    }
}
