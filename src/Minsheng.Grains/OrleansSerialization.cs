using Microsoft.Extensions.DependencyInjection;

namespace Minsheng.Grains;

/// <summary>What a silo hosting these grains registers.</summary>
public static class OrleansSerialization
{
    /// <summary>Everything a silo's grains need besides configuration: serialization and the coalescing outboxes.</summary>
    public static IServiceCollection AddMinshengGrains(this IServiceCollection services) =>
        services.AddMinshengSerialization()
            .AddSingleton<Routing.FactOutbox>()
            .AddSingleton<Routing.EventOutbox>();
}
