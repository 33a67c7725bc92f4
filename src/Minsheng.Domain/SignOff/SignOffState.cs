using System.Text.Json.Serialization;

namespace Minsheng.Domain.SignOff;

/// <summary>Where a report filled in under sign-off (填报→审核) stands: waiting for the unit's reviewer, counted, or sent back.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SignOffState>))]
public enum SignOffState
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("approved")] Approved,
    [JsonStringEnumMemberName("rejected")] Rejected,
}
