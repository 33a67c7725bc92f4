using Minsheng.Domain.Progress;

namespace Minsheng.Grains.Messages;

/// <summary>
/// A report handed to the grain that owns the assignment, with who sent it (<see cref="By"/> the role, <see cref="Person"/>
/// the person). A report approved under sign-off carries its <see cref="SignOff"/>: then By and Person are the reporter's.
/// </summary>
[GenerateSerializer, Immutable, Alias("minsheng.report-command.v1")]
public sealed record ReportCommand(
    [property: Id(0)] string ReportId,
    [property: Id(1)] string TaskId,
    [property: Id(2)] string UnitId,
    [property: Id(3)] string MetricId,
    [property: Id(4)] long Completed,
    [property: Id(5)] string? Note,
    [property: Id(6)] IReadOnlyList<string> Evidence,
    [property: Id(7)] bool Correction,
    [property: Id(8)] string? Reason,
    [property: Id(9)] string By,
    [property: Id(10)] string? Person = null,
    [property: Id(11)] SignOffLine? SignOff = null);

/// <summary>The answer to an accepted report, stored so a retry gets the very same answer.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.report-answer.v1")]
public sealed record ReportAnswer(
    [property: Id(0)] string ReportId,
    [property: Id(1)] string TaskId,
    [property: Id(2)] string UnitId,
    [property: Id(3)] string MetricId,
    [property: Id(4)] long Completed,
    [property: Id(5)] long Target,
    [property: Id(6)] Minsheng.Domain.Progress.AssignmentStatus Status,
    [property: Id(7)] long Version,
    [property: Id(8)] DateTimeOffset RecordedAt,
    [property: Id(9)] long Position = 0);

/// <summary>
/// How a report ended: created (201) or replayed (200) with its answer, or refused with a status, field and reason.
/// (Id 4 held the history line the report made; nobody read it, so it is no longer built. Ids are not reused.)
/// </summary>
[GenerateSerializer, Immutable, Alias("minsheng.report-outcome.v1")]
public sealed record ReportOutcome(
    [property: Id(0)] int Status,
    [property: Id(1)] ReportAnswer? Answer,
    [property: Id(2)] string? Field,
    [property: Id(3)] string? Reason)
{
    public static ReportOutcome Created(ReportAnswer answer) => new(201, answer, null, null);

    public static ReportOutcome Replayed(ReportAnswer answer) => new(200, answer, null, null);

    public static ReportOutcome Refused(int status, string field, string reason) => new(status, null, field, reason);
}
