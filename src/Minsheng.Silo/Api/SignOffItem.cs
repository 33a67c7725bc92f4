using Minsheng.Domain.Plans;
using Minsheng.Domain.SignOff;

namespace Minsheng.Silo.Api;

/// <summary>
/// A report filed under sign-off (填报→审核), as the API shows it apart from counted ones: what was filed, by whom and
/// when, where it stands, and once decided by whom, when and (sent back) why. A pending item counts nowhere.
/// </summary>
public sealed record SignOffItem(
    string ReportId,
    string TaskId,
    string UnitId,
    string MetricId,
    long Completed,
    long Target,
    string? Note,
    IReadOnlyList<string> Evidence,
    bool Correction,
    string? Reason,
    SignOffState State,
    string ReporterRole,
    string Reporter,
    DateTimeOffset SubmittedAt,
    string? ReviewerRole,
    string? Reviewer,
    DateTimeOffset? ReviewedAt,
    string? ReturnReason)
{
    public static SignOffItem Of(PendingReport p, PlanIndex plan)
    {
        var r = p.Request;
        var target = plan.FindAssignment(r.TaskId, r.UnitId, r.MetricId)?.Assignment.Target ?? 0;
        return new SignOffItem(r.ReportId, r.TaskId, r.UnitId, r.MetricId, r.Completed, target, r.Note, r.Evidence, r.Correction, r.Reason,
            p.State, p.ReporterRole, p.Reporter, p.SubmittedAt, p.ReviewerRole, p.Reviewer, p.ReviewedAt, p.ReturnReason);
    }
}

/// <summary>Body of <c>POST .../reports/{reportId}/reject</c>: why the report goes back to its reporter.</summary>
public sealed record RejectBody([property: System.ComponentModel.DataAnnotations.Required] string? Reason = null);
