using Minsheng.Demo;
using Minsheng.Grains;

namespace Minsheng.Silo.Hosting;

/// <summary>The demo's lead across the cluster: the lease is the <see cref="IDemoLeadGrain"/>'s, so one silo plays the demo.</summary>
public sealed class ClusterDemoLead(IGrainFactory grains, ILogger<ClusterDemoLead> logger) : IDemoLead
{
    public async Task<bool> TryLead(string holder, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<IDemoLeadGrain>(IDemoLeadGrain.Key).TryLead(holder, lease).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without an answer this silo does not drive: two drivers would move the one clock twice as fast.
            logger.LogWarning(e, "Asking for the demo's lead failed; this silo waits");
            return false;
        }
    }
}
