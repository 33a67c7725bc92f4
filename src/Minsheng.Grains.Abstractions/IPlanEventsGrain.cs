using Minsheng.Grains.Messages;

namespace Minsheng.Grains;

/// <summary>
/// A plan's live events in the cluster's one order (key: the plan id). Every event of the plan passes through this one
/// activation, which numbers it within the plan's stream epoch and stores it in the plan's event journal before fanning
/// it out to every subscribed silo (so numbers never repeat and an id means the same event on every silo, after a crash
/// and after restarts), and answers clients that resume from the journal.
/// </summary>
public interface IPlanEventsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers (or refreshes) a silo's observer and answers where the stream stands; observers that stop refreshing
    /// are dropped.
    /// </summary>
    Task<EventStreamPosition> Subscribe(IPlanEventObserver observer);

    Task Unsubscribe(IPlanEventObserver observer);

    /// <summary>
    /// Numbers the events and hands them to every subscribed silo. Awaited (not one-way) by the silo's outbox, which
    /// sends the next batch only when this call is done: events raised meanwhile travel together instead of one message each.
    /// </summary>
    Task Publish(IReadOnlyList<PlanEvent> events);

    /// <summary>
    /// The events after <paramref name="after"/> of <paramref name="epoch"/> (at most 4,096; read on from the last for
    /// more) when the journal still keeps the first of them; null when the epoch is not this stream's, the number is
    /// ahead of it, or the journal no longer keeps them (the client must resync).
    /// </summary>
    Task<SequencedEvents?> ReadAfter(string epoch, long after);
}

/// <summary>A silo-side receiver of live events.</summary>
public interface IPlanEventObserver : IGrainObserver
{
    [OneWay]
    Task OnEvents(SequencedEvents events);

    /// <summary>
    /// The activation of the plan's events grain this observer subscribed to is ending (a failed store, its silo leaving,
    /// its directory's silo dying, a duplicate losing): the next activation, wherever it comes, knows no subscriber, so
    /// the silo subscribes again now instead of at its next renewal.
    /// </summary>
    [OneWay]
    Task SubscribeAgain(string planId);
}

/// <summary>A plan's stream: its epoch (new when its numbering could not continue) and the number of its latest event.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.event-position.v1")]
public sealed record EventStreamPosition(
    [property: Id(0)] string PlanId,
    [property: Id(1)] string Epoch,
    [property: Id(2)] long Last);

/// <summary>Consecutive events of a plan's stream, numbered <see cref="First"/>, <see cref="First"/> + 1, …</summary>
[GenerateSerializer, Immutable, Alias("minsheng.sequenced-events.v1")]
public sealed record SequencedEvents(
    [property: Id(0)] string PlanId,
    [property: Id(1)] string Epoch,
    [property: Id(2)] long First,
    [property: Id(3)] IReadOnlyList<PlanEvent> Events);
