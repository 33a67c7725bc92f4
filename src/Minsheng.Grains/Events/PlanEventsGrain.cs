using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Events;

/// <summary>
/// Fans a plan's live events out to every silo that subscribed. Each silo keeps one observer and refreshes it;
/// observers not refreshed within <see cref="ObserverLifetime"/> are dropped (their silo is gone).
/// </summary>
public sealed class PlanEventsGrain(TimeProvider clock) : Grain, IPlanEventsGrain
{
    internal static readonly TimeSpan ObserverLifetime = TimeSpan.FromMinutes(2);

    private readonly Dictionary<IPlanEventObserver, DateTimeOffset> _observers = [];

    public Task Subscribe(IPlanEventObserver observer)
    {
        _observers[observer] = clock.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IPlanEventObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    public Task Publish(IReadOnlyList<PlanEvent> events)
    {
        var now = clock.GetUtcNow();
        foreach (var (observer, seen) in _observers.ToList())
        {
            if (now - seen > ObserverLifetime)
            {
                _observers.Remove(observer);
                continue;
            }
            _ = observer.OnEvents(events);
        }
        return Task.CompletedTask;
    }
}
