using Minsheng.Domain;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Events;

/// <summary>Builds live events with their JSON payloads (camelCase, Chinese kept readable).</summary>
public static class PlanEvents
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static PlanEvent Create<T>(string planId, PlanEventKind kind, T data, DateTimeOffset at) =>
        new(planId, kind, JsonSerializer.Serialize(data, Json), at);

    /// <summary>Hands events to the plan's fan-out grain through the outbox: the caller never waits, and events are batched.</summary>
    public static void Publish(this Routing.EventOutbox outbox, string planId, params PlanEvent[] events) =>
        outbox.Publish(planId, events);
}

/// <summary>The payload of a <c>progress</c> event: an accepted report.</summary>
public sealed record ProgressEventData(
    string ReportId, string TaskId, string UnitId, string MetricId, long Completed, long Previous, long Target,
    AssignmentStatus Status, long Version, DateTimeOffset At, bool Correction);

/// <summary>The payload of a <c>case</c> event: a case opened, answered or closed, as it is after that.</summary>
public sealed record CaseEventData(CaseAction Action, SupervisionCase Case);

/// <summary>The payload of a <c>ranking</c> event: a weekly 晾晒 was published (read it at <c>.../rankings/weekly/{week}</c>).</summary>
public sealed record RankingEventData(string Week, DateTimeOffset PublishedAt);

/// <summary>
/// The payload of an <c>evaluation</c> event: a monthly 评估 (<c>month</c> yyyy-MM) or the year-end input
/// (<c>month</c> = <c>final</c>) was published (read it at <c>.../evaluations/{month}</c>).
/// </summary>
public sealed record EvaluationEventData(string Month, DateTimeOffset EvaluatedAt);
