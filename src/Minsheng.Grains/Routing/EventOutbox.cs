using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Routing;

/// <summary>
/// Carries live events to each plan's fan-out grain in order, batched: at most one <c>Publish</c> in flight per plan,
/// and events raised meanwhile go together in the next call. Live events are best effort (the stream's snapshot and
/// replay cover a gap); a failed call is logged.
/// </summary>
public sealed class EventOutbox(IGrainFactory grains, ILogger<EventOutbox> logger)
{
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    public void Publish(string planId, IReadOnlyList<PlanEvent> events)
    {
        var lane = _lanes.GetOrAdd(planId, id => new Lane(grains.GetGrain<IPlanEventsGrain>(id)));
        if (lane.Add(events)) _ = Task.Run(() => Pump(lane));
    }

    private async Task Pump(Lane lane)
    {
        while (lane.Take() is { } batch)
        {
            try
            {
                await lane.Target.Publish(batch);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Publishing {Count} live events failed", batch.Count);
            }
        }
    }

    private sealed class Lane(IPlanEventsGrain target)
    {
        private readonly Lock _gate = new();
        private List<PlanEvent> _pending = [];
        private bool _pumping;

        public IPlanEventsGrain Target { get; } = target;

        public bool Add(IReadOnlyList<PlanEvent> events)
        {
            lock (_gate)
            {
                _pending.AddRange(events);
                if (_pumping) return false;
                _pumping = true;
                return true;
            }
        }

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
                return batch;
            }
        }
    }
}
