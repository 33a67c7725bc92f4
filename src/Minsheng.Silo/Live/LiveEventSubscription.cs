using Minsheng.Grains;

namespace Minsheng.Silo.Live;

/// <summary>
/// Subscribes this silo's <see cref="LiveEventHub"/> to the events grains of the plans someone here is watching, and
/// only those: an open event stream (a plan's, or a region's over its plans) holds a lease on its plans. A watched
/// plan is subscribed before its stream starts (so the stream misses nothing), renewed every 30 s (RenewSeconds) well within the
/// grain's observer lifetime, kept for a while (Minsheng:Live:LingerSeconds, 60) after its last stream closes (a client reconnecting
/// resumes), then dropped. A plan nobody watches costs no call and keeps no events grain active.
/// Each subscription answers where the plan's stream stands, so the events this silo never received (it was not
/// subscribed, or a one-way batch was lost) are a gap in its log: a client resuming across them is served by the events
/// grain, which keeps the latest, or told to resync.
/// </summary>
public sealed class LiveEventSubscription(LiveEventHub hub, IGrainFactory grains, IHostApplicationLifetime lifetime,
    LiveEventOptions options, ILogger<LiveEventSubscription> logger)
    : BackgroundService
{
    private readonly TimeSpan _renew = TimeSpan.FromSeconds(options.RenewSeconds);

    /// <summary>How long a plan stays subscribed after its last stream closed.</summary>
    private readonly TimeSpan _linger = TimeSpan.FromSeconds(options.LingerSeconds);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Watched> _plans = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<IPlanEventObserver> _reference = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The plans this silo is subscribed to now (for tests and diagnostics).</summary>
    public IReadOnlyCollection<string> SubscribedPlans
    {
        get { lock (_lock) return [.. _plans.Keys]; }
    }

    /// <summary>
    /// Holds the plans subscribed until the returned lease is disposed; completes once every one of them is subscribed.
    /// </summary>
    public async Task<IDisposable> Watch(IReadOnlyCollection<string> planIds, CancellationToken cancellation)
    {
        var reference = await _reference.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellation);
        var pending = new List<Task>(planIds.Count);
        lock (_lock)
        {
            foreach (var id in planIds)
            {
                if (!_plans.TryGetValue(id, out var watched)) _plans[id] = watched = new Watched();
                watched.Leases++;
                if (watched.Subscribed is null || watched.Subscribed.IsFaulted || watched.Subscribed.IsCanceled)
                    watched.Subscribed = SubscribeAnew(id, reference);
                pending.Add(watched.Subscribed);
            }
        }
        var lease = new Lease(this, planIds);
        try
        {
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30), cancellation);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
        return lease;
    }

    private async Task SubscribeAnew(string planId, IPlanEventObserver reference) =>
        hub.Log(planId).Begin(await grains.GetGrain<IPlanEventsGrain>(planId).Subscribe(reference));

    /// <summary>
    /// After a renewal: when the stream stands further than this silo's log, and still does a moment later (batches
    /// sent before the answer are on their way), the events missed are fetched from the events grain, which keeps the
    /// latest; when it no longer has them, the log takes the gap (clients across it resync).
    /// </summary>
    private async Task CatchUp(string planId, EventStreamPosition position)
    {
        var log = hub.Log(planId);
        bool Behind() => log.Epoch != position.Epoch || log.Last < position.Last;
        try
        {
            if (!Behind()) return;
            await Task.Delay(TimeSpan.FromSeconds(2));
            if (!Behind()) return;
            var events = log.Epoch == position.Epoch ? await grains.GetGrain<IPlanEventsGrain>(planId).ReadAfter(position.Epoch, log.Last) : null;
            if (events is not null) log.Append(events);
            else log.Begin(position);
            logger.LogInformation("Live events of {PlanId}: this silo had missed up to {Last}; {How}", planId, position.Last,
                events is null ? "no longer kept, clients across the gap resync" : $"fetched {events.Events.Count}");
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Catching up the live events of {PlanId} failed; the next renewal tries again", planId);
        }
    }

    private void Release(IEnumerable<string> planIds)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            foreach (var id in planIds)
                if (_plans.TryGetValue(id, out var watched) && --watched.Leases == 0)
                    watched.IdleSince = now;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await lifetime.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        var reference = grains.CreateObjectReference<IPlanEventObserver>(hub);
        _reference.TrySetResult(reference);
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(_renew, stoppingToken); }
            catch (OperationCanceledException) { break; }
            var (renew, drop) = Sweep(DateTimeOffset.UtcNow);
            foreach (var id in renew)
            {
                // The answer says where the stream stands, so a batch this silo missed is found and fetched.
                try { _ = CatchUp(id, await grains.GetGrain<IPlanEventsGrain>(id).Subscribe(reference)); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogDebug(e, "Renewing the live-event subscription of {PlanId} failed; retrying at the next refresh", id);
                }
            }
            foreach (var id in drop)
            {
                try { await grains.GetGrain<IPlanEventsGrain>(id).Unsubscribe(reference); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Not renewed, the observer expires at the grain anyway.
                    logger.LogDebug(e, "Unsubscribing from {PlanId} failed", id);
                }
            }
        }
    }

    /// <summary>Which plans to renew, and which nobody has watched for longer than the linger time (removed here).</summary>
    private (List<string> Renew, List<string> Drop) Sweep(DateTimeOffset now)
    {
        var renew = new List<string>();
        var drop = new List<string>();
        lock (_lock)
        {
            foreach (var (id, watched) in _plans)
            {
                if (watched.Leases == 0 && now - watched.IdleSince > _linger) drop.Add(id);
                else if (watched.Subscribed is { IsCompletedSuccessfully: true }) renew.Add(id);
            }
            foreach (var id in drop) _plans.Remove(id);
        }
        return (renew, drop);
    }

    private sealed class Watched
    {
        public int Leases;
        public DateTimeOffset IdleSince;
        public Task? Subscribed;
    }

    private sealed class Lease(LiveEventSubscription owner, IReadOnlyCollection<string> planIds) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release(planIds);
        }
    }
}
