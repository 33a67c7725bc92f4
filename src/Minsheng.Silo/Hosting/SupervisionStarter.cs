using Minsheng.Grains;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// Wakes the one supervision schedule once the silo is up, so its durable reminder exists even before the first
/// report and every plan loaded is scheduled (plans new to the catalog are due at once). No plan's grains are woken
/// here: the schedule runs them when they are due, a bounded number at a time.
/// </summary>
public sealed class SupervisionStarter(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<SupervisionStarter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await lifetime.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var status = await grains.GetGrain<ISupervisionScheduleGrain>(ISupervisionScheduleGrain.Key).GetStatus();
                logger.LogInformation("Supervision schedule holds {Plans} plans; next due {NextDue}", status.Plans, status.NextDue);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Supervision schedule not reachable yet; retrying");
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
