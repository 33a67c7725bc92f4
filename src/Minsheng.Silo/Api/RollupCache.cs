using System.Collections.Concurrent;
using Minsheng.Grains;
using Minsheng.Grains.Messages;

namespace Minsheng.Silo.Api;

/// <summary>
/// Rollup views cached per aggregate revision: a read asks the aggregate only whether its revision moved (no facts
/// cross the wire when it has not) and serves the view computed for that revision and that second of the business
/// clock. A view changes only when a fact does or time passes, so nothing stale is ever served.
/// </summary>
public sealed class RollupCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The view for the aggregate's current revision at <paramref name="now"/>, computed at most once per second.</summary>
    public async Task<T> Get<T>(string key, IProgressAggregate aggregate, DateTimeOffset now, Func<IReadOnlyList<FactUpdate>, DateTimeOffset, T> view)
        where T : notnull
    {
        var second = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, now.Offset);
        _entries.TryGetValue(key, out var held);
        var snapshot = await aggregate.GetSnapshot(held?.Epoch ?? Guid.Empty, held?.Revision ?? -1);
        var facts = snapshot.Facts ?? held!.Facts;
        if (snapshot.Facts is null && held!.At == second && held.View is T cached) return cached;
        var result = view(facts, second);
        _entries[key] = new Entry(snapshot.Epoch, snapshot.Revision, facts, second, result);
        return result;
    }

    private sealed record Entry(Guid Epoch, long Revision, IReadOnlyList<FactUpdate> Facts, DateTimeOffset At, object View);
}
