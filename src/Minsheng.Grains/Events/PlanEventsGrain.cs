using Microsoft.Extensions.Logging;
using Minsheng.Grains.Messages;
using Orleans.Utilities;

namespace Minsheng.Grains.Events;

/// <summary>
/// Fans a plan's live events out to every silo that subscribed. Each silo keeps one observer and subscribes it again
/// every 30 s (LiveEventSubscription); an observer not renewed within <see cref="ObserverLifetime"/> is dropped at the
/// next publish (its silo is gone), as Orleans' <see cref="ObserverManager{TObserver}"/> does.
/// </summary>
public sealed class PlanEventsGrain : Grain, IPlanEventsGrain
{
    internal static readonly TimeSpan ObserverLifetime = TimeSpan.FromMinutes(2);

    private readonly ObserverManager<IPlanEventObserver> _observers;

    public PlanEventsGrain(TimeProvider clock, ILogger<PlanEventsGrain> logger)
    {
        // The grains' clock rather than the wall clock, so a test silo with a fake clock can expire an observer.
        _observers = new ObserverManager<IPlanEventObserver>(ObserverLifetime, logger)
        {
            GetDateTime = () => clock.GetUtcNow().UtcDateTime,
        };
    }

    public Task Subscribe(IPlanEventObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IPlanEventObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task Publish(IReadOnlyList<PlanEvent> events)
    {
        // OnEvents is one-way: sending returns at once, so this turn never waits for a silo; a silo that is gone costs a
        // lost message until its observer expires (ObserverManager drops expired observers here, before sending).
        _observers.Notify(observer => { _ = observer.OnEvents(events); });
        return Task.CompletedTask;
    }
}
