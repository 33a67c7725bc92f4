using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Tests.Progress;

/// <summary>Latest version wins: duplicates, older versions and any order of a batch end in the same ledger.</summary>
public sealed class FactLedgerTests
{
    private static readonly AssignmentKey Key = new("3.1", "tianshui", "main");

    [Fact]
    public void Older_and_repeated_facts_change_nothing()
    {
        var ledger = new FactLedger();
        Assert.True(ledger.Apply(Key, new ProgressFact(5, 2, null)));
        Assert.False(ledger.Apply(Key, new ProgressFact(3, 1, null)));
        Assert.False(ledger.Apply(Key, new ProgressFact(5, 2, null)));
        Assert.Equal(new ProgressFact(5, 2, null), ledger.Find(Key));
        Assert.Equal(1, ledger.Revision);
    }

    [Fact]
    public void Every_order_of_the_same_facts_ends_the_same()
    {
        var facts = Enumerable.Range(1, 6)
            .Select(v => new KeyValuePair<AssignmentKey, ProgressFact>(v % 2 == 0 ? Key : Key with { UnitId = "wulin" }, new ProgressFact(v * 10, v, null)))
            .ToList();
        var forward = new FactLedger();
        forward.ApplyAll(facts);
        var backward = new FactLedger();
        backward.ApplyAll(Enumerable.Reverse(facts));
        var twice = new FactLedger();
        twice.ApplyAll(facts.Concat(facts));
        Assert.Equal(forward.Facts.OrderBy(f => f.Key.ToString()), backward.Facts.OrderBy(f => f.Key.ToString()));
        Assert.Equal(forward.Facts.OrderBy(f => f.Key.ToString()), twice.Facts.OrderBy(f => f.Key.ToString()));
        Assert.Equal(60, forward.Find(Key)!.Completed);
    }
}
