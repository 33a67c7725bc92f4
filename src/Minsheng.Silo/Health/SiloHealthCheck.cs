using Microsoft.Extensions.Diagnostics.HealthChecks;
using Minsheng.Domain.Plans;
using Orleans.Runtime;

namespace Minsheng.Silo.Health;

/// <summary>
/// Ready when this silo is active in the cluster's membership and every loaded plan is served: the supervision
/// schedule (a real grain call; its activation read its state from grain storage in PostgreSQL mode) holds every plan of
/// the catalog, so each is supervised and its grains activate on demand. No plan's grains are woken to answer a probe.
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
            var schedule = await grains.GetGrain<Minsheng.Grains.ISupervisionScheduleGrain>(Minsheng.Grains.ISupervisionScheduleGrain.Key)
                .GetStatus().WaitAsync(cancellationToken);
            return schedule.Plans == catalog.Plans.Count
                ? HealthCheckResult.Healthy($"节点已激活，{catalog.Plans.Count} 个计划均已纳入督办调度")
                : HealthCheckResult.Unhealthy($"督办调度只纳入了 {schedule.Plans} 个计划，已加载 {catalog.Plans.Count} 个");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("服务尚未就绪", e);
        }
    }
}
