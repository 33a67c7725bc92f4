using Minsheng.Domain;
using System.Text.Json;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Events;

/// <summary>Builds live events: the payload stays a record until a stream connection first writes its JSON.</summary>
public static class PlanEvents
{
    /// <summary>The JSON settings of event payloads (camelCase, Chinese kept readable); the reviews store theirs with it too.</summary>
    public static JsonSerializerOptions Json => PlanEvent.Json;

    /// <summary>
    /// An event carrying <paramref name="data"/> as it is: nothing is serialized here, on the path of every report, but
    /// where a dashboard reads it (<see cref="PlanEvent.Data"/>), once per silo, or never when none does.
    /// </summary>
    public static PlanEvent Create<T>(string planId, PlanEventKind kind, T data, DateTimeOffset at) where T : notnull =>
        PlanEvent.Of(planId, kind, data, at);

    /// <summary>
    /// The progress event of a report row, as its owner published it when the row was appended (the row holds its
    /// answer: target and status); null for a schedule row. What a retry answered from the log and the events grain's
    /// sweep of the log publish again.
    /// </summary>
    public static PlanEvent? ProgressOf(ReportLog.ReportLogEntry row) =>
        row is { Kind: ReportLog.LogKind.Report, ReportId: { } reportId, Answer: { } answer }
            ? Create(row.PlanId, PlanEventKind.Progress, new ProgressEventData(reportId, row.TaskId, row.UnitId, row.MetricId,
                row.Completed, row.Previous, answer.Target, answer.Status, row.Version, row.At, row.Correction), row.At)
            : null;

    /// <summary>Hands events to the plan's fan-out grain through the outbox: the caller never waits, and events are batched.</summary>
    public static void Publish(this Routing.EventOutbox outbox, string planId, params PlanEvent[] events) =>
        outbox.Publish(planId, events);
}

// The payloads cross silos inside a PlanEvent as records (Orleans' encoding below); their JSON is written only on
// the stream. The domain's records (StatusChanged, SupervisionCase) travel with the domain codec.

/// <summary>The payload of a <c>progress</c> event: an accepted report.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.progress-event.v1")]
public sealed record ProgressEventData(
    [property: Id(0)] string ReportId, [property: Id(1)] string TaskId, [property: Id(2)] string UnitId,
    [property: Id(3)] string MetricId, [property: Id(4)] long Completed, [property: Id(5)] long Previous,
    [property: Id(6)] long Target, [property: Id(7)] AssignmentStatus Status, [property: Id(8)] long Version,
    [property: Id(9)] DateTimeOffset At, [property: Id(10)] bool Correction);

/// <summary>The payload of a <c>case</c> event: a case opened, answered or closed, as it is after that.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.case-event.v1")]
public sealed record CaseEventData([property: Id(0)] CaseAction Action, [property: Id(1)] SupervisionCase Case);

/// <summary>The payload of a <c>ranking</c> event: a weekly 晾晒 was published (read it at <c>.../rankings/weekly/{week}</c>).</summary>
[GenerateSerializer, Immutable, Alias("minsheng.ranking-event.v1")]
public sealed record RankingEventData([property: Id(0)] string Week, [property: Id(1)] DateTimeOffset PublishedAt);

/// <summary>
/// The payload of an <c>evaluation</c> event: a monthly 评估 (<c>month</c> yyyy-MM) or the year-end input
/// (<c>month</c> = <c>final</c>) was published (read it at <c>.../evaluations/{month}</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("minsheng.evaluation-event.v1")]
public sealed record EvaluationEventData([property: Id(0)] string Month, [property: Id(1)] DateTimeOffset EvaluatedAt);
