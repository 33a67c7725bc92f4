namespace Minsheng.Domain.SignOff;

/// <summary>
/// A report filled in under sign-off: the count and its history fields as the reporter sent them, who sent it and when,
/// and, once decided, who reviewed it, when, and why it was sent back. It counts nowhere until approved; the approval
/// is what appends it to the report log, with both people and both moments.
/// </summary>
public sealed record PendingReport(
    string ReportId,
    string TaskId,
    string UnitId,
    string MetricId,
    long Completed,
    string? Note,
    IReadOnlyList<string> Evidence,
    bool Correction,
    string? Reason,
    string ReporterRole,
    string Reporter,
    DateTimeOffset SubmittedAt,
    SignOffState State = SignOffState.Pending,
    string? Reviewer = null,
    DateTimeOffset? ReviewedAt = null,
    string? ReturnReason = null);
