using Minsheng.Grains;
using Minsheng.Grains.Messages;
using Minsheng.Silo.Api;

namespace Minsheng.Silo.Tests;

/// <summary>The rollup views' cache is bounded by the facts it holds, and an evicted entry only costs a full snapshot.</summary>
public sealed class RollupCacheTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task The_cache_holds_no_more_facts_than_its_capacity_and_answers_right_after_an_eviction()
    {
        using var cache = new RollupCache(capacityFacts: 25);
        var aggregates = Enumerable.Range(0, 6).Select(i => new FakeAggregate(10, i)).ToArray();

        for (var round = 0; round < 3; round++)
            for (var i = 0; i < aggregates.Length; i++)
                Assert.Equal(10 * i + 45, await cache.Get($"street:{i}", aggregates[i], Now, (facts, _) => facts.Sum(f => f.Completed)));

        // 6 entries of 10 facts (11 units each) never fit in 25: at most two are held at any time.
        Assert.InRange(cache.Count, 1, 2);
        // What did not fit was read again from a full snapshot, and answered the same.
        Assert.True(aggregates.Sum(a => a.FullSnapshots) > aggregates.Length);
    }

    [Fact]
    public async Task A_held_entry_is_served_without_facts_crossing_the_wire_again()
    {
        using var cache = new RollupCache(RollupCache.DefaultCapacity);
        var aggregate = new FakeAggregate(10, 0);
        for (var n = 0; n < 5; n++)
            Assert.Equal(45, await cache.Get("plan", aggregate, Now, (facts, _) => facts.Sum(f => f.Completed)));
        Assert.Equal(1, aggregate.FullSnapshots);
        Assert.Equal(5, aggregate.Snapshots);
    }

    private sealed class FakeAggregate(int facts, int offset) : IProgressAggregate
    {
        private readonly Guid _epoch = Guid.NewGuid();
        private readonly FactUpdate[] _facts = Enumerable.Range(0, facts)
            .Select(i => new FactUpdate("3.1", $"unit-{i}", "count", i + offset, 1, null, null, null)).ToArray();

        public int Snapshots { get; private set; }

        public int FullSnapshots { get; private set; }

        public Task<FactsSnapshot> GetSnapshot(Guid epoch, long revision)
        {
            Snapshots++;
            if (epoch == _epoch && revision == 1) return Task.FromResult(new FactsSnapshot(_epoch, 1, null));
            FullSnapshots++;
            return Task.FromResult(new FactsSnapshot(_epoch, 1, _facts));
        }

        public Task Apply(IReadOnlyList<FactUpdate> facts) => throw new NotSupportedException();

        public Task<IReadOnlyList<FactUpdate>> GetFacts() => throw new NotSupportedException();

        public Task<bool> Includes(string taskId, string unitId, string metricId, long version, TimeSpan wait) => throw new NotSupportedException();

        public Task Reconcile() => throw new NotSupportedException();

        public Task Deactivate() => throw new NotSupportedException();

        public Task Settle() => throw new NotSupportedException();
    }
}
