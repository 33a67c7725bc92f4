using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Minsheng.Grains;

/// <summary>How the domain's plain records cross grain boundaries and reach storage.</summary>
public static class OrleansSerialization
{
    /// <summary>
    /// Serializes the domain's types (no Orleans attributes: the domain has no Orleans reference) with System.Text.Json,
    /// which needs no type names in the payload, so renaming a C# type breaks nothing stored.
    /// </summary>
    public static IServiceCollection AddMinshengSerialization(this IServiceCollection services) =>
        services.AddSerializer(s => s.AddJsonSerializer(
            isSupported: type => type.Namespace?.StartsWith("Minsheng.Domain", StringComparison.Ordinal) == true));

    /// <summary>
    /// Everything a silo's grains need besides configuration: serialization, the coalescing outboxes and the grains'
    /// instruments (from the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>).
    /// </summary>
    public static IServiceCollection AddMinshengGrains(this IServiceCollection services) =>
        services.AddMinshengSerialization()
            .AddMetrics()
            .AddSingleton<Telemetry.GrainMetrics>()
            .AddSingleton<Routing.FactOutbox>()
            .AddSingleton<Routing.EventOutbox>();
}
