using Minsheng.Grains;

namespace Minsheng.Silo.Live;

/// <summary>
/// Subscribes this silo's <see cref="LiveEventHub"/> to the events grains of the plans someone here is watching, and
/// only those: an open event stream (a plan's, or a region's over its plans) holds a lease on its plans. A watched
/// plan is subscribed before its stream starts (so the stream misses nothing), renewed every 30 s (RenewSeconds) well within the
/// grain's observer lifetime, kept for a while (Minsheng:Live:LingerSeconds, 60) after its last stream closes (a client reconnecting
/// resumes), then dropped. A plan nobody watches costs no call and keeps no events grain active.
/// When a plan is subscribed anew, its log on this silo is marked discontinuous, so an event id from before answers
/// <c>resync</c> instead of resuming across events this silo never received.
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

    private async Task SubscribeAnew(string planId, IPlanEventObserver reference)
    {
        hub.Log(planId).Discontinue();
        await grains.GetGrain<IPlanEventsGrain>(planId).Subscribe(reference);
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
                try { await grains.GetGrain<IPlanEventsGrain>(id).Subscribe(reference); }
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
