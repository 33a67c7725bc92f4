using System.Text.Json.Serialization;

namespace Minsheng.Domain.Progress;

/// <summary>Where an assignment's schedule comes from: the linear default or milestones set by its owner (倒排计划).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScheduleSource>))]
public enum ScheduleSource
{
    [JsonStringEnumMemberName("default")] Default,
    [JsonStringEnumMemberName("custom")] Custom,
}
