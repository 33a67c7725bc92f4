using System.Diagnostics.Metrics;
using Orleans.Runtime;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// How many silos share the cluster's limits: the members this silo's view of Orleans membership holds as Active (at
/// least 1, itself, while it joins). Each silo enforces its share of a cluster-wide limit (<see cref="Share"/>), so
/// behind a proxy that spreads a caller's requests evenly the caller gets the documented number, not N times it.
/// Counted once per membership version, so a request pays a version comparison.
/// </summary>
public sealed class ClusterShare
{
    private readonly IClusterMembershipService _membership;
    private Counted _counted = new(MembershipVersion.MinValue, 1);

    public ClusterShare(IClusterMembershipService membership, IMeterFactory meters)
    {
        _membership = membership;
        meters.Create(TelemetrySetup.MeterName).CreateObservableGauge("minsheng.cluster.silos.active", () => ActiveSilos, "{silo}",
            "Active silos in this silo's view of the cluster: each enforces 1/N of the cluster's rate limits.");
    }

    /// <summary>Active silos in this silo's current view of the membership (at least 1).</summary>
    public int ActiveSilos
    {
        get
        {
            var snapshot = _membership.CurrentSnapshot;
            var counted = _counted;
            if (counted.Version == snapshot.Version) return counted.Silos;
            var silos = Math.Max(1, snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));
            _counted = new Counted(snapshot.Version, silos);
            return silos;
        }
    }

    /// <summary>One silo's share of a cluster-wide <paramref name="limit"/>: ⌈limit ÷ silos⌉, at least 1.</summary>
    public static int Share(int limit, int silos)
    {
        var n = Math.Max(1, silos);
        return (int)Math.Max(1, ((long)limit + n - 1) / n);
    }

    private sealed record Counted(MembershipVersion Version, int Silos);
}
