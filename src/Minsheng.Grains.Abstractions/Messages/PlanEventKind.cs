using System.Text.Json.Serialization;

namespace Minsheng.Grains.Messages;

/// <summary>The events grains publish on a plan's stream; the wire name is the SSE <c>event:</c> name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlanEventKind>))]
public enum PlanEventKind
{
    [JsonStringEnumMemberName("progress")] Progress,
    [JsonStringEnumMemberName("status")] Status,
    [JsonStringEnumMemberName("case")] Case,
    [JsonStringEnumMemberName("ranking")] Ranking,
    [JsonStringEnumMemberName("evaluation")] Evaluation,
    [JsonStringEnumMemberName("forecast")] Forecast,
}
