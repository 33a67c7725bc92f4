using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Events;

/// <summary>Builds live events with their JSON payloads (camelCase, Chinese kept readable).</summary>
public static class PlanEvents
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static PlanEvent Create<T>(string planId, string kind, T data, DateTimeOffset at) =>
        new(planId, kind, JsonSerializer.Serialize(data, Json), at);

    /// <summary>Hands events to the plan's fan-out grain through the outbox: the caller never waits, and events are batched.</summary>
    public static void Publish(this Routing.EventOutbox outbox, string planId, params PlanEvent[] events) =>
        outbox.Publish(planId, events);
}

/// <summary>The payload of a <c>progress</c> event: an accepted report.</summary>
public sealed record ProgressEventData(
    string ReportId, string TaskId, string UnitId, string MetricId, long Completed, long Previous, long Target,
    string Status, long Version, DateTimeOffset At, bool Correction);
