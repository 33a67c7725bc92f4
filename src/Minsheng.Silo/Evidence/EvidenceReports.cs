using Minsheng.Grains.ReportLog;
using Minsheng.Grains.SignOff;

namespace Minsheng.Silo.Evidence;

/// <summary>
/// The one place evidence finds the report it belongs to, and so the assignment whose roles may upload to it: an
/// accepted report in the plan's report log, or a report filed under sign-off (pending, approved or sent back), so a
/// clerk adds photos right after filing and the reviewer sees them before deciding.
/// </summary>
public sealed class EvidenceReports(IReportLog log, ISignOffStore signOffs)
{
    /// <summary>The report's task and unit, or null when the plan has no report or filing of that id.</summary>
    public async Task<(string TaskId, string UnitId)?> Find(string planId, string reportId) =>
        await log.FindReport(planId, reportId) is { } entry ? (entry.TaskId, entry.UnitId)
        : await signOffs.Find(planId, reportId) is { } filed ? (filed.Request.TaskId, filed.Request.UnitId)
        : null;
}
