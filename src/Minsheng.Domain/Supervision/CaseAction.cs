using System.Text.Json.Serialization;

namespace Minsheng.Domain.Supervision;

/// <summary>What happened to a case, as <see cref="CaseChanged.Action"/> says.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseAction>))]
public enum CaseAction
{
    [JsonStringEnumMemberName("opened")] Opened,
    [JsonStringEnumMemberName("responded")] Responded,
    [JsonStringEnumMemberName("closed")] Closed,
}
