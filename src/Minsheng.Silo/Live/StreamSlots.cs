using System.Collections.Concurrent;

namespace Minsheng.Silo.Live;

/// <summary>
/// Counts the event streams each caller holds open on this silo (keyed like the rate limits: the validated subject),
/// so one caller cannot hold every connection. One per host, not per process.
/// </summary>
public sealed class StreamSlots(Hosting.MinshengMetrics metrics)
{
    private readonly ConcurrentDictionary<string, int> _open = new();

    /// <summary>A slot for <paramref name="key"/>, or null when it already holds <paramref name="limit"/>.</summary>
    public IDisposable? TryTake(string key, int limit)
    {
        var taken = _open.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (taken <= limit)
        {
            metrics.EventStreamClients.Add(1);
            return new Slot(this, key);
        }
        Release(key);
        return null;
    }

    private void Release(string key) => _open.AddOrUpdate(key, 0, (_, n) => n - 1);

    private void Closed() => metrics.EventStreamClients.Add(-1);

    private sealed class Slot(StreamSlots owner, string key) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            owner.Release(key);
            owner.Closed();
        }
    }
}
