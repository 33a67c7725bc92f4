using System.Text.Json.Serialization;

namespace Minsheng.Domain.Supervision;

/// <summary>Where a case stands: open, answered by the lead department, or closed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseState>))]
public enum CaseState
{
    [JsonStringEnumMemberName("open")] Open,
    [JsonStringEnumMemberName("responded")] Responded,
    [JsonStringEnumMemberName("closed")] Closed,
}
