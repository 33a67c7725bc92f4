using Microsoft.Extensions.Caching.Memory;
using Minsheng.Grains;
using Minsheng.Grains.Messages;

namespace Minsheng.Silo.Api;

/// <summary>
/// Rollup views cached per aggregate revision: a read asks the aggregate only whether its revision moved (no facts
/// cross the wire when it has not) and serves the view computed for that revision and that second of the business
/// clock. A view changes only when a fact does or time passes, so nothing stale is ever served.
/// The cache is bounded (issue 19: cost follows the work): it holds at most <c>Minsheng:RollupCache:Facts</c> facts in
/// all (default 500,000), each entry weighed by its facts, drops entries unread for 10 minutes, and when full
/// caches nothing more until a compaction (least recently read first) makes room. An evicted entry costs one full snapshot on its next read, never a wrong answer.
/// </summary>
public sealed class RollupCache(int capacityFacts) : IDisposable
{
    public const string CapacitySetting = "Minsheng:RollupCache:Facts";
    public const int DefaultCapacity = 500_000;
    private static readonly TimeSpan Unread = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = capacityFacts, CompactionPercentage = 0.25 });

    /// <summary>Entries held now (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    /// <summary>The view for the aggregate's current revision at <paramref name="now"/>, computed at most once per second.</summary>
    public async Task<T> Get<T>(string key, IProgressAggregate aggregate, DateTimeOffset now, Func<IReadOnlyList<FactUpdate>, DateTimeOffset, T> view)
        where T : notnull
    {
        var second = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, now.Offset);
        _entries.TryGetValue(key, out Entry? held);
        var snapshot = await aggregate.GetSnapshot(held?.Epoch ?? Guid.Empty, held?.Revision ?? -1);
        var facts = snapshot.Facts ?? held!.Facts;
        if (snapshot.Facts is null && held!.At == second && held.View is T cached) return cached;
        var result = view(facts, second);
        _entries.Set(key, new Entry(snapshot.Epoch, snapshot.Revision, facts, second, result),
            new MemoryCacheEntryOptions { Size = facts.Count + 1, SlidingExpiration = Unread });
        return result;
    }

    public void Dispose() => _entries.Dispose();

    private sealed record Entry(Guid Epoch, long Revision, IReadOnlyList<FactUpdate> Facts, DateTimeOffset At, object View);
}
