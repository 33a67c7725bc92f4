using Minsheng.Grains.ReportLog;

namespace Minsheng.Silo.Evidence;

/// <summary>
/// The one place evidence finds the report it belongs to, and so the assignment whose roles may upload to it: an
/// accepted report in the plan's report log. (Reports pending sign-off will be found here too.)
/// </summary>
public sealed class EvidenceReports(IReportLog log)
{
    /// <summary>The report's task and unit, or null when the plan has no report of that id.</summary>
    public async Task<(string TaskId, string UnitId)?> Find(string planId, string reportId) =>
        await log.FindReport(planId, reportId) is { } entry ? (entry.TaskId, entry.UnitId) : null;
}
