namespace Minsheng.Grains.Messages;

/// <summary>
/// One accepted report or correction of an assignment, as the history endpoint lists it: <c>by</c> is the role,
/// <c>person</c> who acted (the token's subject); a report approved under sign-off (填报→审核) names both people and both
/// moments in <c>signOff</c> (<c>by</c>/<c>person</c> are then the one who filled it in, <c>at</c> the approval).
/// </summary>
[GenerateSerializer, Immutable, Alias("minsheng.history-entry.v1")]
public sealed record HistoryEntry(
    [property: Id(0)] string ReportId,
    [property: Id(1)] string MetricId,
    [property: Id(2)] long Completed,
    [property: Id(3)] long Previous,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] string By,
    [property: Id(6)] string? Note,
    [property: Id(7)] IReadOnlyList<string> Evidence,
    [property: Id(8)] bool Correction,
    [property: Id(9)] string? Reason,
    [property: Id(10)] string? Person = null,
    [property: Id(11)] long Position = 0,
    [property: Id(12)] SignOffLine? SignOff = null);
