using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Routing;

/// <summary>
/// Carries live events to each plan's fan-out grain in order, batched: at most one <c>Publish</c> in flight per plan
/// (awaited until the grain has taken it), and events raised meanwhile go together in the next call.
/// </summary>
public sealed class EventOutbox
{
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Func<string, IPlanEventsGrain> _target;
    private readonly ILogger _logger;

    public EventOutbox(IGrainFactory grains, ILogger<EventOutbox> logger)
        : this(planId => grains.GetGrain<IPlanEventsGrain>(planId), logger)
    {
    }

    /// <summary>With the fan-out grain of each plan resolved by <paramref name="target"/> (tests put a fake there).</summary>
    internal EventOutbox(Func<string, IPlanEventsGrain> target, ILogger logger)
    {
        _target = target;
        _logger = logger;
    }

    public void Publish(string planId, IReadOnlyList<PlanEvent> events)
    {
        var lane = _lanes.GetOrAdd(planId, id => new Lane(_target(id)));
        if (lane.Add(events)) Pump.Start(() => Drain(lane));
    }

    /// <summary>
    /// Completes when every event this silo's outbox accepted for the plan <paramref name="planId"/> before the call
    /// has been taken by the plan's fan-out grain (its <c>Publish</c> returned, or failed and was logged).
    /// </summary>
    public Task Settle(string planId) => _lanes.TryGetValue(planId, out var lane) ? lane.WhenDelivered() : Task.CompletedTask;

    private async Task Drain(Lane lane)
    {
        while (lane.Take() is { } batch)
        {
            try
            {
                await lane.Target.Publish(batch);
            }
            catch (Exception e)
            {
                // Dropped, not retried: live events are best effort (a dashboard that reconnects gets a fresh snapshot,
                // and the next event of a cell carries its whole state), and a failed or timed-out call may still have
                // been delivered, so a retry could show the same case or alert twice. The lane goes on with the next
                // batch either way: one failure must not silence a plan's stream.
                _logger.LogWarning(e, "Publishing {Count} live events failed; they are dropped", batch.Count);
            }
            lane.Delivered();
        }
    }

    private sealed class Lane(IPlanEventsGrain target)
    {
        private readonly Lock _gate = new();
        private readonly Delivery _delivery = new();
        private List<PlanEvent> _pending = [];
        private bool _pumping;

        public IPlanEventsGrain Target { get; } = target;

        public Task WhenDelivered()
        {
            lock (_gate) return _delivery.WhenDelivered();
        }

        /// <summary>The batch taken last has been passed on: wakes who waited for it.</summary>
        public void Delivered()
        {
            List<TaskCompletionSource> due;
            lock (_gate) due = _delivery.Delivered();
            foreach (var done in due) done.TrySetResult();
        }

        /// <summary>Adds events; true when the caller must start pumping.</summary>
        public bool Add(IReadOnlyList<PlanEvent> events)
        {
            lock (_gate)
            {
                _pending.AddRange(events);
                _delivery.Accepted();
                if (_pumping) return false;
                _pumping = true;
                return true;
            }
        }

        /// <summary>The next batch, or null (and the pump stops) when nothing waits.</summary>
        public IReadOnlyList<PlanEvent>? Take()
        {
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _pumping = false;
                    return null;
                }
                var batch = _pending;
                _pending = [];
                _delivery.Taken();
                return batch;
            }
        }
    }
}
