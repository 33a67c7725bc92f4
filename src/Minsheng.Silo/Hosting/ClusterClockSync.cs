using Minsheng.Grains;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// Joins this silo's simulated <see cref="BusinessClock"/> to the cluster's (<see cref="IClusterClockGrain"/>, issue 20):
/// while the silo starts (before it serves HTTP) it adopts the cluster's time, or starts the cluster's clock at its own
/// configured start if it is the first; afterwards it adopts every move the grain announces, and renews every
/// <see cref="Renew"/> (which also picks up a move whose notice was lost). The system clock needs none of this.
/// </summary>
public sealed class ClusterClockSync(BusinessClock clock, IGrainFactory grains, ILogger<ClusterClockSync> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IClusterClockObserver
{
    internal static readonly TimeSpan Renew = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private IClusterClockObserver? _reference;
    private Task _renewing = Task.CompletedTask;

    private IClusterClockGrain Grain => grains.GetGrain<IClusterClockGrain>(IClusterClockGrain.Key);

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (!clock.IsSimulated) return;
        lifecycle.Subscribe(nameof(ClusterClockSync), ServiceLifecycleStage.Active, Start, Stop);
    }

    public Task Moved(DateTimeOffset now)
    {
        if (clock.Adopt(now)) logger.LogInformation("Business clock moved to {Now} (the cluster's)", now);
        return Task.CompletedTask;
    }

    private async Task Start(CancellationToken cancellation)
    {
        _reference = grains.CreateObjectReference<IClusterClockObserver>(this);
        var now = await Grain.Join(clock.GetUtcNow(), _reference);
        clock.Adopt(now);
        logger.LogInformation("Business clock joined the cluster's at {Now}", clock.GetUtcNow());
        _renewing = RenewLoop(_stopping.Token);
    }

    private async Task RenewLoop(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try { await Task.Delay(Renew, stopping); }
            catch (OperationCanceledException) { return; }
            try
            {
                clock.Adopt(await Grain.Join(clock.GetUtcNow(), _reference!));
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Renewing the cluster clock's subscription failed; retrying in {Renew}", Renew);
            }
        }
    }

    private async Task Stop(CancellationToken cancellation)
    {
        await _stopping.CancelAsync();
        await _renewing;
        if (_reference is not null) grains.DeleteObjectReference<IClusterClockObserver>(_reference);
    }
}
