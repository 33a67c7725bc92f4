using Microsoft.Extensions.DependencyInjection;

namespace Minsheng.Grains;

/// <summary>What a silo hosting these grains registers.</summary>
public static class OrleansSerialization
{
    /// <summary>
    /// Everything a silo's grains need besides configuration: serialization, the coalescing outboxes and the grains'
    /// instruments (from the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>).
    /// </summary>
    public static IServiceCollection AddMinshengGrains(this IServiceCollection services) =>
        services.AddMinshengSerialization()
            .AddMetrics()
            .AddSingleton<Telemetry.GrainMetrics>()
            .AddSingleton<Routing.FactOutbox>()
            .AddSingleton<Routing.EventOutbox>()
            // The embedded default's review store; PostgreSQL mode registers its table after this, which wins.
            .AddSingleton<Reviews.IReviewStore, Reviews.InMemoryReviewStore>()
            // The embedded default's notices and subscriptions; PostgreSQL mode registers its tables after this, which wins.
            .AddSingleton<Notifications.INotificationStore, Notifications.InMemoryNotificationStore>()
            // The embedded default's sign-off store; PostgreSQL mode registers its table after this, which wins.
            .AddSingleton<SignOff.ISignOffStore, SignOff.InMemorySignOffStore>()
            // The embedded default's event journal; PostgreSQL mode registers its table after this, which wins.
            .AddSingleton<Events.IPlanEventJournal, Events.InMemoryPlanEventJournal>(_ => new Events.InMemoryPlanEventJournal());
}
