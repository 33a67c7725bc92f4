namespace Minsheng.Grains.Messages;

/// <summary>
/// A live event for dashboards: <paramref name="Kind"/> is the SSE event name (progress, status, case, snapshot)
/// and <paramref name="Data"/> its JSON payload, serialized once where the event happens.
/// </summary>
[GenerateSerializer, Immutable, Alias("minsheng.plan-event.v1")]
public sealed record PlanEvent(
    [property: Id(0)] string PlanId,
    [property: Id(1)] PlanEventKind Kind,
    [property: Id(2)] string Data,
    [property: Id(3)] DateTimeOffset At);
