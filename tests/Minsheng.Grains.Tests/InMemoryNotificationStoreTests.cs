using Minsheng.Grains.Notifications;

namespace Minsheng.Grains.Tests;

/// <summary>The in-memory notification store (the embedded default) keeps the contract.</summary>
public sealed class InMemoryNotificationStoreTests : NotificationStoreContract
{
    protected override INotificationStore Store { get; } = new InMemoryNotificationStore();
}
