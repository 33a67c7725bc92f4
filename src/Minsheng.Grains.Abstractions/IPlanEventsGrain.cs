using Minsheng.Grains.Messages;

namespace Minsheng.Grains;

/// <summary>Fans live events out to every silo's event hub. Key: the plan id.</summary>
public interface IPlanEventsGrain : IGrainWithStringKey
{
    /// <summary>Registers (or refreshes) a silo's observer; observers that stop refreshing are dropped.</summary>
    Task Subscribe(IPlanEventObserver observer);

    Task Unsubscribe(IPlanEventObserver observer);

    /// <summary>
    /// Hands events to every subscribed silo. Awaited (not one-way) by the silo's outbox, which sends the next batch only
    /// when this call is done: events raised meanwhile travel together instead of one message each.
    /// </summary>
    Task Publish(IReadOnlyList<PlanEvent> events);
}

/// <summary>A silo-side receiver of live events.</summary>
public interface IPlanEventObserver : IGrainObserver
{
    [OneWay]
    Task OnEvents(IReadOnlyList<PlanEvent> events);
}
