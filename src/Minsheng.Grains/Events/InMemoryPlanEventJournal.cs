using System.Collections.Concurrent;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Events;

/// <summary>
/// The event journal of the embedded default: the same contract as the PostgreSQL table, kept in this process (gone on
/// restart with the rest of the in-memory state, so the next process starts a new epoch and old ids resync), and
/// bounded: the latest <see cref="Kept"/> to 2 × <see cref="Kept"/> events of each plan. Thread-safe; one instance
/// serves every silo of the process.
/// </summary>
public sealed class InMemoryPlanEventJournal(int kept = InMemoryPlanEventJournal.DefaultKept) : IPlanEventJournal
{
    /// <summary>
    /// Per plan: twice the events grain's own memory. Kept small on purpose: the write benchmark measured the embedded
    /// default about 10% slower per report while it held 65,536 to 131,072 events per plan (the garbage collector
    /// carrying them), and back at the old figure with 8,192 (BENCHMARKS.md).
    /// </summary>
    public const int DefaultKept = 8_192;

    private readonly ConcurrentDictionary<string, Stream> _plans = new(StringComparer.Ordinal);

    public int Kept { get; } = Math.Max(1, kept);

    public Task<JournalHead> Open(string planId, string newEpoch, long sweepFrom)
    {
        var stream = _plans.GetOrAdd(planId, _ => new Stream(newEpoch, sweepFrom));
        lock (stream) return Task.FromResult(new JournalHead(stream.Epoch, stream.SweepFrom, stream.Last));
    }

    public Task Append(string planId, long first, IReadOnlyList<JournalEntry> entries)
    {
        var stream = _plans.TryGetValue(planId, out var s) ? s : throw new InvalidOperationException($"The journal of {planId} was not opened");
        lock (stream)
        {
            if (first != stream.Last + 1) throw new EventNumberTakenException(planId, first);
            // A version at or below the latest stored is taken (the grain never stores an older one after a newer).
            if (entries.Any(e => e.Progress is { } m && stream.Latest.TryGetValue(m.Key, out var had) && m.Version <= had))
                throw new EventNumberTakenException(planId, first);
            foreach (var entry in entries)
            {
                stream.Events.Add(entry.Event);
                if (entry.Progress is { } mark && (!stream.Latest.TryGetValue(mark.Key, out var v) || v < mark.Version)) stream.Latest[mark.Key] = mark.Version;
            }
            if (stream.Events.Count > 2 * Kept)
            {
                var dropped = stream.Events.Count - Kept;
                stream.Events.RemoveRange(0, dropped);
                stream.Dropped += dropped;
            }
        }
        return Task.CompletedTask;
    }

    public Task Prune(string planId, long upTo, long sweepFrom)
    {
        if (!_plans.TryGetValue(planId, out var stream)) return Task.CompletedTask;
        lock (stream)
        {
            var drop = (int)Math.Clamp(upTo - stream.Dropped, 0, stream.Events.Count);
            stream.Events.RemoveRange(0, drop);
            stream.Dropped += drop;
            stream.SweepFrom = Math.Max(stream.SweepFrom, sweepFrom);
        }
        return Task.CompletedTask;
    }

    public Task<JournalRead> ReadAfter(string planId, long after, int limit)
    {
        if (!_plans.TryGetValue(planId, out var stream)) return Task.FromResult(new JournalRead(after + 1, []));
        lock (stream)
        {
            var first = Math.Max(after + 1, stream.Dropped + 1);
            var from = (int)Math.Min(first - 1 - stream.Dropped, stream.Events.Count);
            var count = Math.Min(limit, stream.Events.Count - from);
            return Task.FromResult(new JournalRead(first, stream.Events.GetRange(from, count)));
        }
    }

    public Task<IReadOnlyList<ProgressMark>> LatestProgress(string planId, IReadOnlyCollection<AssignmentKey> keys)
    {
        if (!_plans.TryGetValue(planId, out var stream)) return Task.FromResult<IReadOnlyList<ProgressMark>>([]);
        lock (stream)
            return Task.FromResult<IReadOnlyList<ProgressMark>>(
                keys.Where(stream.Latest.ContainsKey).Select(k => new ProgressMark(k, stream.Latest[k])).ToList());
    }

    private sealed class Stream(string epoch, long sweepFrom)
    {
        public string Epoch { get; } = epoch;
        public long SweepFrom { get; set; } = sweepFrom;
        public List<PlanEvent> Events { get; } = [];
        public long Dropped { get; set; }
        public long Last => Dropped + Events.Count;
        public Dictionary<AssignmentKey, long> Latest { get; } = [];
    }
}
