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

    /// <summary>Pauses before each retry of a batch's progress events (then they are dropped, logged).</summary>
    internal static readonly TimeSpan[] RetryPauses = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15)];

    private async Task Drain(Lane lane)
    {
        while (lane.Take() is { } batch)
        {
            IReadOnlyList<PlanEvent> sending = batch;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await lane.Target.Publish(sending);
                    break;
                }
                catch (Exception e)
                {
                    // Progress events are sent again: the events grain publishes each assignment's version once, so a
                    // call that failed after it was delivered does not show a report twice, and one that never arrived
                    // (the grain's silo frozen or killed, the grain moving) reaches the grain's next activation. Other
                    // events are dropped, as a retry could show the same case or alert twice; a dashboard that
                    // reconnects gets a fresh snapshot. Later batches of the lane wait meanwhile, so order is kept.
                    var progress = sending.Where(x => x.Kind == PlanEventKind.Progress).ToList();
                    if (progress.Count == 0 || attempt >= RetryPauses.Length)
                    {
                        _logger.LogWarning(e, "Publishing {Count} live events failed; they are dropped", sending.Count);
                        break;
                    }
                    if (progress.Count < sending.Count)
                        _logger.LogWarning(e, "Publishing {Count} live events failed; {Dropped} other than progress are dropped", sending.Count, sending.Count - progress.Count);
                    sending = progress;
                    await Task.Delay(RetryPauses[attempt]);
                }
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
