using System.Text.Json.Serialization;

namespace Minsheng.Grains.Audit;

/// <summary>What an audit line records someone doing or trying; the wire name is the <c>action</c> column's text.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditAction>))]
public enum AuditAction
{
    [JsonStringEnumMemberName("report")] Report,
    [JsonStringEnumMemberName("schedule")] Schedule,
    [JsonStringEnumMemberName("case.open")] CaseOpen,
    [JsonStringEnumMemberName("case.respond")] CaseRespond,
    [JsonStringEnumMemberName("case.close")] CaseClose,
    [JsonStringEnumMemberName("clock")] Clock,
    [JsonStringEnumMemberName("signoff.file")] SignOffFile,
    [JsonStringEnumMemberName("signoff.approve")] SignOffApprove,
    [JsonStringEnumMemberName("signoff.reject")] SignOffReject,
    [JsonStringEnumMemberName("evidence")] Evidence,
    [JsonStringEnumMemberName("subscription.add")] SubscriptionAdd,
    [JsonStringEnumMemberName("subscription.remove")] SubscriptionRemove,
}

/// <summary>How an audited action ended; the wire name is the <c>outcome</c> column's text.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditOutcome>))]
public enum AuditOutcome
{
    [JsonStringEnumMemberName("accepted")] Accepted,
    [JsonStringEnumMemberName("refused")] Refused,
}
