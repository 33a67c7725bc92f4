using System.Collections.Concurrent;
using Minsheng.Grains;

namespace Minsheng.Silo.Live;

/// <summary>
/// The event streams a caller may hold open, counted across the cluster: each stream this silo serves holds a lease in
/// the caller's <see cref="IStreamSlotsGrain"/>, taken when it opens, renewed here every <c>Minsheng:Live:RenewSeconds</c>
/// and released when it ends. A lease lives three renewal periods, so the slots of a killed silo come back within
/// that time. The grain is called only when a stream opens, closes or is renewed.
/// </summary>
public sealed class StreamSlots(IGrainFactory grains, Hosting.MinshengMetrics metrics, LiveEventOptions options, ILogger<StreamSlots> logger)
    : BackgroundService
{
    private readonly TimeSpan _renew = TimeSpan.FromSeconds(options.RenewSeconds);

    /// <summary>The streams open on this silo: lease id → the caller's key.</summary>
    private readonly ConcurrentDictionary<Guid, string> _held = new();

    /// <summary>How long a lease lasts without renewal.</summary>
    public TimeSpan LeaseTime => _renew * 3;

    /// <summary>A slot of <paramref name="key"/>'s, released when disposed; null when it already holds <paramref name="limit"/> in the cluster.</summary>
    public async Task<IDisposable?> TryTake(string key, int limit)
    {
        var id = Guid.NewGuid();
        if (!await grains.GetGrain<IStreamSlotsGrain>(key).TryTake(id, limit, LeaseTime)) return null;
        _held[id] = key;
        metrics.EventStreamClients.Add(1);
        return new Slot(this, key, id);
    }

    private void Release(string key, Guid id)
    {
        if (!_held.TryRemove(id, out _)) return;
        metrics.EventStreamClients.Add(-1);
        _ = ReleaseAt(key, id);
    }

    private async Task ReleaseAt(string key, Guid id)
    {
        try { await grains.GetGrain<IStreamSlotsGrain>(key).Release(id); }
        catch (Exception e)
        {
            // The lease lapses on its own.
            logger.LogDebug(e, "Releasing a stream slot of {Key} failed; it lapses after {LeaseTime}", key, LeaseTime);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(_renew, stoppingToken); }
            catch (OperationCanceledException) { break; }
            foreach (var caller in _held.GroupBy(h => h.Value, h => h.Key))
            {
                try { await grains.GetGrain<IStreamSlotsGrain>(caller.Key).Renew([.. caller], LeaseTime); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogDebug(e, "Renewing the stream slots of {Key} failed; retrying at the next renewal", caller.Key);
                }
            }
        }
    }

    private sealed class Slot(StreamSlots owner, string key, Guid id) : IDisposable
    {
        public void Dispose() => owner.Release(key, id);
    }
}
