using Minsheng.Domain.Progress;

namespace Minsheng.Domain.SignOff;

/// <summary>
/// A report filled in under sign-off: the report as the reporter sent it (its fingerprint answers a retry), who sent it
/// and when, and, once decided, who reviewed it, when, and why it was sent back. It counts nowhere until approved; the
/// approval is what appends it to the report log, with both people and both moments.
/// </summary>
public sealed record PendingReport(
    ReportRequest Request,
    string ReporterRole,
    string Reporter,
    DateTimeOffset SubmittedAt,
    SignOffState State = SignOffState.Pending,
    string? Reviewer = null,
    DateTimeOffset? ReviewedAt = null,
    string? ReturnReason = null,
    string? ReviewerRole = null)
{
    public string ReportId => Request.ReportId;

    /// <summary>What a retry of the filing must match (another body under the same reportId is a conflict).</summary>
    public string Fingerprint => Request.Fingerprint();
}
