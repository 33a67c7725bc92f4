using Minsheng.Grains.Reviews;

namespace Minsheng.Grains.Tests;

/// <summary>The in-memory review store (the embedded default) keeps the contract.</summary>
public sealed class InMemoryReviewStoreTests : ReviewStoreContract
{
    protected override IReviewStore Store { get; } = new InMemoryReviewStore(new Minsheng.Grains.Notifications.InMemoryNotificationStore());
}
