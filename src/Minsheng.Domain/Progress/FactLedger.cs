using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Progress;

/// <summary>
/// Latest-version-wins store of assignment facts. Applying the same fact twice, or an older one after a newer
/// one, changes nothing; applying a batch is the same as applying its facts one by one in any order.
/// </summary>
public sealed class FactLedger
{
    private readonly Dictionary<AssignmentKey, ProgressFact> _facts = [];

    /// <summary>Bumped on every change, so readers can cache what they computed from this ledger.</summary>
    public long Revision { get; private set; }

    public IReadOnlyDictionary<AssignmentKey, ProgressFact> Facts => _facts;

    /// <summary>Keeps <paramref name="fact"/> if it is newer than what is held; returns whether it was.</summary>
    public bool Apply(AssignmentKey key, ProgressFact fact)
    {
        if (_facts.TryGetValue(key, out var held) && held.Version >= fact.Version) return false;
        _facts[key] = fact;
        Revision++;
        return true;
    }

    public int ApplyAll(IEnumerable<KeyValuePair<AssignmentKey, ProgressFact>> facts) =>
        facts.Count(f => Apply(f.Key, f.Value));

    public ProgressFact? Find(AssignmentKey key) => _facts.GetValueOrDefault(key);
}
