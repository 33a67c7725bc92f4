using Minsheng.Domain.Plans;
using Minsheng.Grains;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// Wakes each plan's supervisor once the silo is up, so its durable reminder exists even before the first report.
/// </summary>
public sealed class SupervisionStarter(IGrainFactory grains, PlanCatalog catalog, IHostApplicationLifetime lifetime, ILogger<SupervisionStarter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await lifetime.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        foreach (var plan in catalog.Plans)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await grains.GetGrain<ISupervisorGrain>(plan.Id).GetAlerts();
                    break;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogDebug(e, "Supervisor of {Plan} not reachable yet; retrying", plan.Id);
                    try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                    catch (OperationCanceledException) { return; }
                }
            }
        }
    }
}
