using System.Net;
using Microsoft.Extensions.Options;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// The Orleans cluster (<c>Minsheng:Cluster</c>): the ports in both storage modes; the cluster's names, the advertised
/// address and the failure detector on PostgreSQL, where silos find each other. Named apart from Orleans' own
/// <c>ClusterOptions</c>, which it fills.
/// </summary>
public sealed class MinshengClusterOptions
{
    public const string Section = "Minsheng:Cluster";

    /// <summary>The cluster this silo joins; silos of one deployment share it.</summary>
    public string ClusterId { get; set; } = "minsheng";

    /// <summary>The service whose grain state and reminders the silos share; stays the same across deployments.</summary>
    public string ServiceId { get; set; } = "minsheng";

    /// <summary>This silo's name in the membership table and logs (on Kubernetes the pod's); unset: Orleans' own.</summary>
    public string? SiloName { get; set; }

    /// <summary>The address other silos reach this one at: an IP address (in a container the pod's or the container's own).</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Listen on every interface rather than only the advertised address (in a container).</summary>
    public bool ListenOnAny { get; set; }

    /// <summary>How long a probe of another silo may take before it counts as missed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes after which a silo is suspected dead.</summary>
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>The settings as builder code reads them: Orleans' endpoints and clustering are chosen before the host exists.</summary>
    public static MinshengClusterOptions ReadEarly(IHostApplicationBuilder builder) =>
        builder.ReadEarly<MinshengClusterOptions, MinshengClusterOptionsRules>(Section);
}

/// <summary>The rules of <see cref="MinshengClusterOptions"/>, checked in both storage modes.</summary>
public sealed class MinshengClusterOptionsRules : IValidateOptions<MinshengClusterOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MinshengClusterOptions options) => ValidatedOptions.Result(Errors(options));

    private static IEnumerable<string> Errors(MinshengClusterOptions options)
    {
        const string cluster = MinshengClusterOptions.Section;
        if (string.IsNullOrWhiteSpace(options.ClusterId)) yield return $"{cluster}:ClusterId must not be empty";
        if (string.IsNullOrWhiteSpace(options.ServiceId)) yield return $"{cluster}:ServiceId must not be empty";
        if (!IPAddress.TryParse(options.AdvertisedIp, out _))
            yield return $"{cluster}:AdvertisedIp must be an IP address such as 10.0.0.5, not '{options.AdvertisedIp}'";
        if (options.SiloPort is < 1 or > 65535) yield return $"{cluster}:SiloPort must be a port number from 1 to 65535, not {options.SiloPort}";
        if (options.GatewayPort is < 1 or > 65535) yield return $"{cluster}:GatewayPort must be a port number from 1 to 65535, not {options.GatewayPort}";
        else if (options.GatewayPort == options.SiloPort) yield return $"{cluster}:GatewayPort must differ from SiloPort ({options.SiloPort})";
        if (options.ProbeTimeout <= TimeSpan.Zero) yield return $"{cluster}:ProbeTimeout must be positive, not {options.ProbeTimeout}";
        if (options.NumMissedProbesLimit < 1) yield return $"{cluster}:NumMissedProbesLimit must be at least 1, not {options.NumMissedProbesLimit}";
    }
}

/// <summary>Schema migrations when a silo starts (<c>Minsheng:Migrate</c>; PostgreSQL storage only).</summary>
public sealed class MigrateOptions
{
    public const string Section = "Minsheng:Migrate";

    /// <summary>Applies pending migrations at start (default); <c>false</c> when the <c>migrate</c> command runs them before a rollout.</summary>
    public bool OnStart { get; set; } = true;

    /// <summary>The settings as builder code reads them: the storage provider is configured before the host exists.</summary>
    public static MigrateOptions ReadEarly(IHostApplicationBuilder builder) => builder.ReadEarly<MigrateOptions, TypeOnlyRules<MigrateOptions>>(Section);
}
