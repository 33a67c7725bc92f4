namespace Minsheng.Grains.Messages;

/// <summary>
/// One accepted report or correction of an assignment, as the history endpoint lists it: <c>by</c> is the role,
/// <c>person</c> who acted (the token's subject); a report approved under sign-off (填报→审核) names both people and both
/// moments in <c>signOff</c> (<c>by</c>/<c>person</c> are then the one who filled it in, <c>at</c> the approval);
/// <c>files</c> are the evidence files uploaded to its report (linked apart from the log's row, so they may come later).
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
    [property: Id(12)] SignOffLine? SignOff = null,
    [property: Id(13)] IReadOnlyList<HistoryFile>? Files = null);

/// <summary>An evidence file (佐证材料) uploaded to a history line's report: <c>.../reports/{reportId}/evidence/{fileId}</c>.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.history-file.v1")]
public sealed record HistoryFile(
    [property: Id(0)] string FileId,
    [property: Id(1)] string Name,
    [property: Id(2)] string ContentType,
    [property: Id(3)] long Bytes,
    [property: Id(4)] string Sha256);
