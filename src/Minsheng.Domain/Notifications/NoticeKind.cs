using System.Text.Json.Serialization;

namespace Minsheng.Domain.Notifications;

/// <summary>What a notification tells of: the events an office may subscribe an endpoint to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NoticeKind>))]
public enum NoticeKind
{
    /// <summary>A case (个案督办) was opened; it concerns its unit and the departments and leaders it is addressed to.</summary>
    [JsonStringEnumMemberName("caseOpened")] CaseOpened,

    /// <summary>A case has waited longer than the configured days for its first response (承办反馈).</summary>
    [JsonStringEnumMemberName("caseResponseOverdue")] CaseResponseOverdue,

    /// <summary>A 临近提醒 (deadlineNear) alert was raised on an assignment.</summary>
    [JsonStringEnumMemberName("deadlineNear")] DeadlineNear,

    /// <summary>The weekly check's forecast put an assignment at risk of missing the deadline at its own pace.</summary>
    [JsonStringEnumMemberName("forecastLate")] ForecastLate,

    /// <summary>A weekly 晾晒 was published.</summary>
    [JsonStringEnumMemberName("rankingPublished")] RankingPublished,

    /// <summary>A monthly 评估 (or the year-end input) was published.</summary>
    [JsonStringEnumMemberName("evaluationPublished")] EvaluationPublished,

    /// <summary>A unit's daily digest: what is due, at risk and overdue, and its open cases.</summary>
    [JsonStringEnumMemberName("digest")] Digest,
}
