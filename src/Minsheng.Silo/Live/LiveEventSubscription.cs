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
/// <para>
/// A subscription lives in one activation of the events grain; the next activation (after a failed store, its silo
/// leaving or dying, its directory's silo dying, a duplicate losing) starts with none. So a watched plan is also renewed
/// out of turn, at once, when the ending activation says so (<see cref="IPlanEventObserver.SubscribeAgain"/>) and when
/// membership declares a silo dead (its activations end without a word), retried for a while if the next activation is
/// not up yet; the periodic renewal stays as the fallback for a word that was lost.
/// </para>
/// </summary>
/// <param name="membership">The cluster's membership (a silo's dead activations are learnt from it); none outside a silo.</param>
public sealed class LiveEventSubscription(LiveEventHub hub, IGrainFactory grains, IHostApplicationLifetime lifetime,
    LiveEventOptions options, ILogger<LiveEventSubscription> logger, IClusterMembershipService? membership = null)
    : BackgroundService
{
    /// <summary>Before an out-of-turn renewal: the ending activation finishes meanwhile, and words about many plans come together.</summary>
    internal static readonly TimeSpan SoonDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Pauses before each retry of an out-of-turn renewal that failed (the next activation not up yet, PostgreSQL restarting).</summary>
    internal static readonly TimeSpan[] SoonRetries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

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
        hub.SubscribeAgainAsked += SubscribeAgainAsked;
        var watchingMembership = WatchMembership(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(_renew, stoppingToken); }
            catch (OperationCanceledException) { break; }
            var (renew, drop) = Sweep(DateTimeOffset.UtcNow);
            foreach (var id in renew)
            {
                try { await Renew(id, reference); }
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
        hub.SubscribeAgainAsked -= SubscribeAgainAsked;
        await watchingMembership;
        await LetGo(reference);
    }

    /// <summary>
    /// This silo stops (its Orleans silo stops after this service): its subscriptions are let go first, so the events
    /// grains' activations that end with the silo tell only the other silos to subscribe again.
    /// </summary>
    private async Task LetGo(IPlanEventObserver reference)
    {
        string[] watched;
        lock (_lock) watched = [.. _plans.Keys];
        if (watched.Length == 0) return;
        try
        {
            await Task.WhenAll(watched.Select(id => grains.GetGrain<IPlanEventsGrain>(id).Unsubscribe(reference))).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Letting go of the live-event subscriptions of {Count} plans failed as this silo stops; they expire", watched.Length);
        }
    }

    private void SubscribeAgainAsked(string planId) => RenewSoon([planId], "its events grain's activation ends");

    /// <summary>Subscribes again (to whichever activation answers); the answer says where the stream stands, so what this silo missed is fetched.</summary>
    private async Task Renew(string planId, IPlanEventObserver reference) =>
        _ = CatchUp(planId, await grains.GetGrain<IPlanEventsGrain>(planId).Subscribe(reference));

    /// <summary>
    /// Renews the watched ones of <paramref name="planIds"/> out of turn, soon, retrying a failed renewal for a while. A
    /// plan already being renewed so is renewed once more after (the word may be about an activation it just reached).
    /// </summary>
    private void RenewSoon(IEnumerable<string> planIds, string why)
    {
        if (!_reference.Task.IsCompletedSuccessfully) return; // not subscribed to anything yet
        var start = new List<(string, Watched)>();
        lock (_lock)
        {
            foreach (var id in planIds)
            {
                // A first subscription still under way may have reached the very activation that ends: renewed after it.
                if (!_plans.TryGetValue(id, out var watched) || watched.Subscribed is null) continue;
                watched.Again = true;
                if (watched.Renewing) continue;
                watched.Renewing = true;
                start.Add((id, watched));
            }
        }
        if (start.Count > 0) logger.LogDebug("Renewing the live-event subscriptions of {PlanIds} now: {Why}", string.Join(", ", start.Select(x => x.Item1)), why);
        foreach (var (id, watched) in start) _ = RenewingSoon(id, watched, _reference.Task.Result);
    }

    private async Task RenewingSoon(string planId, Watched watched, IPlanEventObserver reference)
    {
        var stopping = lifetime.ApplicationStopping;
        var failures = 0;
        while (true)
        {
            lock (_lock)
            {
                // Nothing more asked, or no longer watched (dropped, or the plan watched anew: its own subscription starts fresh).
                if (!watched.Again || stopping.IsCancellationRequested || !_plans.TryGetValue(planId, out var now) || now != watched)
                {
                    watched.Renewing = false;
                    return;
                }
                watched.Again = false;
            }
            try
            {
                await Task.Delay(failures == 0 ? SoonDelay : SoonRetries[failures - 1], stopping);
                if (watched.Subscribed is { } first) await first.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await Renew(planId, reference);
                failures = 0;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && failures < SoonRetries.Length)
            {
                failures++;
                logger.LogDebug(e, "Renewing the live-event subscription of {PlanId} out of turn failed; trying again", planId);
                lock (_lock) watched.Again = true;
            }
            catch (Exception e)
            {
                if (!stopping.IsCancellationRequested)
                    logger.LogWarning(e, "Renewing the live-event subscription of {PlanId} out of turn failed {Attempts} times; the periodic renewal goes on", planId, failures + 1);
                lock (_lock) watched.Renewing = false;
                return;
            }
        }
    }

    /// <summary>
    /// A silo declared dead took its activations with it, perhaps the events grain of a watched plan: the next activation
    /// knows no subscriber, and the dead one could not say so. Every watched plan is renewed then.
    /// </summary>
    private async Task WatchMembership(CancellationToken stopping)
    {
        if (membership is null) return;
        var alive = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stopping))
            {
                var dead = alive.Where(silo => snapshot.GetSiloStatus(silo) == SiloStatus.Dead).ToList();
                alive.ExceptWith(dead);
                alive.UnionWith(snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress));
                if (dead.Count == 0) continue;
                string[] watched;
                lock (_lock) watched = [.. _plans.Keys];
                if (watched.Length > 0)
                    logger.LogInformation("{Silos} declared dead: renewing the live-event subscriptions of {Count} watched plans now (their events grains may have moved)",
                        string.Join(", ", dead), watched.Length);
                RenewSoon(watched, $"{string.Join(", ", dead)} declared dead");
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Watching the cluster's membership for live events stopped; subscriptions are renewed every {Renew} only", _renew);
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

        /// <summary>An out-of-turn renewal runs (<see cref="RenewingSoon"/>); whether one more is asked of it.</summary>
        public bool Renewing, Again;
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
