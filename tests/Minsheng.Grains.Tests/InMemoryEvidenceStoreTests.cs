using Minsheng.Grains.Evidence;

namespace Minsheng.Grains.Tests;

/// <summary>The in-memory evidence store (the embedded default) keeps the contract.</summary>
public sealed class InMemoryEvidenceStoreTests : EvidenceStoreContract
{
    private readonly InMemoryEvidenceStore _store = new();

    protected override IEvidenceStore Store => _store;

    protected override Task<int> BlobCount() => Task.FromResult(_store.BlobCount);
}
