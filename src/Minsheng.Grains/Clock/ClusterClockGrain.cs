using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Minsheng.Grains.Clock;

/// <summary>
/// Holds the cluster's simulated business clock (<see cref="IClusterClockGrain"/>): one stored instant that only moves
/// forward, and the silos to tell when it does. A silo not renewed within <see cref="ObserverLifetime"/> is dropped
/// (its process is gone); a notice lost on the way is made good by the silo's next renewal, which answers the time.
/// </summary>
public sealed class ClusterClockGrain(
    [PersistentState(StorageNames.ClockState, StorageNames.Facts)] IPersistentState<ClusterClockState> state,
    ILogger<ClusterClockGrain> logger)
    : Grain, IClusterClockGrain
{
    internal static readonly TimeSpan ObserverLifetime = TimeSpan.FromMinutes(2);

    private readonly ObserverManager<IClusterClockObserver> _silos = new(ObserverLifetime, logger);

    public async Task<DateTimeOffset> Join(DateTimeOffset start, IClusterClockObserver observer)
    {
        _silos.Subscribe(observer, observer);
        if (state.State.Now is { } now) return now;
        state.State.Now = start;
        await state.WriteStateAsync();
        logger.LogInformation("The cluster's business clock starts at {Start}", start);
        return start;
    }

    public async Task<ClockMove> MoveTo(DateTimeOffset to)
    {
        var from = state.State.Now ?? to;
        if (to < from) return new ClockMove(false, from, from);
        if (to > from || state.State.Now is null)
        {
            state.State.Now = to;
            await state.WriteStateAsync();
        }
        // One-way: a silo that is gone costs a lost notice until its subscription expires.
        _silos.Notify(silo => { _ = silo.Moved(to); });
        return new ClockMove(true, from, to);
    }
}

/// <summary>The stored time of the cluster's simulated clock (null until the first silo joins).</summary>
public sealed class ClusterClockState
{
    public DateTimeOffset? Now { get; set; }
}
