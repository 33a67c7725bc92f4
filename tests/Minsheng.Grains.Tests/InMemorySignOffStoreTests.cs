using Minsheng.Grains.ReportLog;
using Minsheng.Grains.SignOff;

namespace Minsheng.Grains.Tests;

/// <summary>The in-memory sign-off store (the embedded default) keeps the contract.</summary>
public sealed class InMemorySignOffStoreTests : SignOffStoreContract
{
    public InMemorySignOffStoreTests()
    {
        Log = new InMemoryReportLog();
        Store = new InMemorySignOffStore(Log);
    }

    protected override ISignOffStore Store { get; }

    protected override IReportLog Log { get; }
}
