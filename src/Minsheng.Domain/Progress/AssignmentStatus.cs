using System.Text.Json.Serialization;

namespace Minsheng.Domain.Progress;

/// <summary>Where an assignment stands against its schedule and the plan's deadline (the order the contract lists them).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AssignmentStatus>))]
public enum AssignmentStatus
{
    [JsonStringEnumMemberName("onTrack")] OnTrack,
    [JsonStringEnumMemberName("lagging")] Lagging,
    [JsonStringEnumMemberName("overdue")] Overdue,
    [JsonStringEnumMemberName("done")] Done,
}

/// <summary>A status with whether completion came after the deadline (完成但逾期).</summary>
public readonly record struct StatusVerdict(AssignmentStatus Status, bool Late);
