using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Minsheng.Grains;

/// <summary>How the domain's plain records cross grain boundaries and reach storage.</summary>
public static class DomainSerialization
{
    /// <summary>
    /// Serializes the domain's types (no Orleans attributes: the domain has no Orleans reference) with System.Text.Json,
    /// which needs no type names in the payload, so renaming a C# type breaks nothing stored. Here, beside the
    /// interfaces that carry those types: Orleans checks every loaded interface for codecs when a silo starts, so any
    /// silo or client that loads this assembly (a grains silo, or one that only uses the log contracts) needs it.
    /// </summary>
    public static IServiceCollection AddMinshengSerialization(this IServiceCollection services) =>
        services.AddSerializer(s => s.AddJsonSerializer(
            isSupported: type => type.Namespace?.StartsWith("Minsheng.Domain", StringComparison.Ordinal) == true));
}
