using Microsoft.Extensions.Diagnostics.HealthChecks;
using Minsheng.Domain.Plans;
using Orleans.Runtime;

namespace Minsheng.Silo.Health;

/// <summary>
/// Ready when this silo is active in the cluster's membership and a real grain call answers (placement works and,
/// in PostgreSQL mode, grain storage read the plan's state).
/// </summary>
public sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails local, IGrainFactory grains, PlanCatalog catalog) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        if (status != SiloStatus.Active) return HealthCheckResult.Unhealthy($"本节点在集群中的状态为 {status}，尚未就绪");
        if (catalog.Plans.Count == 0) return HealthCheckResult.Unhealthy("未加载任何计划");
        try
        {
            await grains.GetGrain<Minsheng.Grains.IPlanGrain>(catalog.Plans[0].Id).GetFacts().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy("节点已激活，粒度调用正常");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("服务尚未就绪", e);
        }
    }
}
