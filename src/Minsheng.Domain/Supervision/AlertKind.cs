using System.Text.Json.Serialization;

namespace Minsheng.Domain.Supervision;

/// <summary>What an alert warns of: lagging or a near deadline (黄), or overdue (红).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertKind>))]
public enum AlertKind
{
    [JsonStringEnumMemberName("lagging")] Lagging,
    [JsonStringEnumMemberName("deadlineNear")] DeadlineNear,
    [JsonStringEnumMemberName("overdue")] Overdue,
}
