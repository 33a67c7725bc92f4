namespace Minsheng.Grains;

/// <summary>
/// The simulated business clock of the whole cluster (key <see cref="Key"/>; durable in PostgreSQL mode). Every silo
/// joins it at start and adopts its time, moves go through it and it never moves back, so <c>late</c>, case and
/// ranking times are the same whichever silo answers. The system clock needs no grain: every silo reads its own.
/// </summary>
public interface IClusterClockGrain : IGrainWithStringKey
{
    /// <summary>The key of the cluster's clock.</summary>
    public const string Key = "business";

    /// <summary>
    /// Sets the cluster's clock to <paramref name="start"/> unless it is set already (the first silo's start wins),
    /// subscribes <paramref name="observer"/> to every move, and answers the cluster's time. Silos call it again
    /// periodically to renew the subscription and to pick up a move whose notice was lost.
    /// </summary>
    Task<DateTimeOffset> Join(DateTimeOffset start, IClusterClockObserver observer);

    /// <summary>
    /// Moves the clock to <paramref name="to"/> when that is not earlier than now (stored before it answers), and
    /// tells every silo; an earlier instant changes nothing.
    /// </summary>
    Task<ClockMove> MoveTo(DateTimeOffset to);
}

/// <summary>A silo's receiver of the cluster clock's moves.</summary>
public interface IClusterClockObserver : IGrainObserver
{
    [OneWay]
    Task Moved(DateTimeOffset now);
}

/// <summary>The answer to a move: whether it moved, from when, and the cluster's time now.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.clock-move.v1")]
public sealed record ClockMove(
    [property: Id(0)] bool Moved,
    [property: Id(1)] DateTimeOffset From,
    [property: Id(2)] DateTimeOffset Now);
