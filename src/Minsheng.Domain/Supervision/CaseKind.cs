using System.Text.Json.Serialization;

namespace Minsheng.Domain.Supervision;

/// <summary>Why a case was opened.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseKind>))]
public enum CaseKind
{
    [JsonStringEnumMemberName("overdue")] Overdue,
    [JsonStringEnumMemberName("lagging")] Lagging,
    [JsonStringEnumMemberName("manual")] Manual,
}
