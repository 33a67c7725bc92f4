using Minsheng.Domain.Plans;
using Minsheng.Grains;

namespace Minsheng.Silo.Live;

/// <summary>
/// Keeps this silo's <see cref="LiveEventHub"/> subscribed to every plan's events grain, refreshing well within the
/// grain's observer lifetime so a restarted or moved events grain finds it again.
/// </summary>
public sealed class LiveEventSubscription(LiveEventHub hub, IGrainFactory grains, PlanCatalog catalog, IHostApplicationLifetime lifetime,
    ILogger<LiveEventSubscription> logger)
    : BackgroundService
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await lifetime.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        var reference = grains.CreateObjectReference<IPlanEventObserver>(hub);
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = Refresh;
            try
            {
                foreach (var plan in catalog.Plans)
                    await grains.GetGrain<IPlanEventsGrain>(plan.Id).Subscribe(reference);
                hub.MarkSubscribed();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo may still be starting: try again soon.
                logger.LogDebug(e, "Subscribing to live events failed; retrying");
                delay = TimeSpan.FromSeconds(1);
            }
            try { await Task.Delay(delay, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }
}
