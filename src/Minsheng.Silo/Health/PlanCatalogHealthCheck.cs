using Microsoft.Extensions.Diagnostics.HealthChecks;
using Minsheng.Domain.Plans;

namespace Minsheng.Silo.Health;

/// <summary>Ready only with at least one plan loaded: without one every plan endpoint would answer 404.</summary>
public sealed class PlanCatalogHealthCheck(PlanCatalog catalog) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(catalog.Plans.Count > 0
            ? HealthCheckResult.Healthy($"已加载 {catalog.Plans.Count} 个计划")
            : HealthCheckResult.Unhealthy("未加载任何计划"));
}
