using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Routing;

/// <summary>
/// Carries progress messages to the aggregate grains, coalesced: per target aggregate at most one <c>Apply</c> is in
/// flight, and updates that arrive meanwhile wait in one batch that keeps only the highest version per assignment.
/// Messages carry cumulative values with versions, so batching and dropping superseded versions cannot drift a
/// rollup; under load, one call carries many reports instead of one call per report. Best effort like the one-way
/// sends it replaces: a failed call is logged and left to the aggregates' reconciliation.
/// </summary>
public sealed class FactOutbox(IGrainFactory grains, ILogger<FactOutbox> logger)
{
    private readonly ConcurrentDictionary<(Type, string), Lane> _lanes = new();

    /// <summary>Queues updates for the aggregate <typeparamref name="TGrain"/> with key <paramref name="key"/>.</summary>
    public void Send<TGrain>(string key, IReadOnlyList<FactUpdate> updates) where TGrain : IProgressAggregate, IGrainWithStringKey
    {
        var lane = _lanes.GetOrAdd((typeof(TGrain), key), k => new Lane(grains.GetGrain<TGrain>(k.Item2), GrainKeys.Parse(k.Item2).PlanId));
        if (lane.Add(updates)) Pump.Start(() => Drain(lane));
    }

    /// <summary>
    /// Completes when every update this silo's outbox accepted for the plan <paramref name="planId"/> before the call
    /// has been applied by its aggregate (the <c>Apply</c> call returned, or failed and was logged).
    /// </summary>
    public Task Settle(string planId) =>
        Task.WhenAll(_lanes.Values.Where(l => l.PlanId == planId).Select(l => l.WhenDelivered()));

    private async Task Drain(Lane lane)
    {
        while (lane.Take() is { } batch)
        {
            try
            {
                await lane.Target.Apply(batch);
            }
            catch (Exception e)
            {
                // Not retried here: the facts are cumulative and versioned, so the owners still hold them and the
                // aggregate's periodic reconciliation pulls them; the lane goes on with the next batch.
                logger.LogWarning(e, "Passing {Count} progress updates on failed; reconciliation will heal it", batch.Count);
            }
            lane.Delivered();
        }
    }

    private sealed class Lane(IProgressAggregate target, string planId)
    {
        private readonly Lock _gate = new();
        private readonly Delivery _delivery = new();
        private Dictionary<(string, string, string), FactUpdate> _pending = [];
        private bool _pumping;

        public IProgressAggregate Target { get; } = target;

        public string PlanId { get; } = planId;

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

        /// <summary>Adds updates; true when the caller must start pumping.</summary>
        public bool Add(IReadOnlyList<FactUpdate> updates)
        {
            lock (_gate)
            {
                foreach (var u in updates)
                {
                    var key = (u.TaskId, u.UnitId, u.MetricId);
                    if (!_pending.TryGetValue(key, out var held) || held.Version < u.Version) _pending[key] = u;
                }
                _delivery.Accepted();
                if (_pumping) return false;
                _pumping = true;
                return true;
            }
        }

        /// <summary>The next batch, or null (and the pump stops) when nothing waits.</summary>
        public IReadOnlyList<FactUpdate>? Take()
        {
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _pumping = false;
                    return null;
                }
                var batch = _pending.Values.ToList();
                _pending = [];
                _delivery.Taken();
                return batch;
            }
        }
    }
}
