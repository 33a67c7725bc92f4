using Minsheng.Domain.Plans;

namespace Minsheng.Grains.ReportLog;

/// <summary>
/// The report log: the plan's source of truth for facts and history. In PostgreSQL mode a table written by group
/// commit (reports arriving together share one transaction; each caller is answered after the commit that holds its
/// row); on the embedded default the same contract in memory.
/// </summary>
public interface IReportLog
{
    /// <summary>Appends one row atomically and durably; returns once it is committed (or refused as a duplicate).</summary>
    Task<AppendResult> Append(ReportLogEntry entry);

    /// <summary>
    /// The latest row of each given assignment metric (its current fact, since every row carries the complete fact
    /// after it); none for a metric never written. What an owner loads on activation: one index lookup per assignment,
    /// however long the history.
    /// </summary>
    Task<IReadOnlyList<ReportLogEntry>> ReadLatest(string planId, IReadOnlyCollection<AssignmentKey> keys);

    /// <summary>The row at a position of the plan's log, if any (the primary key answers).</summary>
    Task<ReportLogEntry?> FindAt(string planId, long seq);

    /// <summary>The row of a reportId in the plan's log, if any (the unique index answers).</summary>
    Task<ReportLogEntry?> FindReport(string planId, string reportId);


    /// <summary>
    /// The reports and corrections of one (task, unit), in acceptance order: those after log position
    /// <paramref name="after"/>, at most <paramref name="limit"/> of them (an index serves it, not a scan of the plan).
    /// </summary>
    Task<IReadOnlyList<ReportLogEntry>> ReadAssignment(string planId, string taskId, string unitId, long after = 0, int limit = int.MaxValue);

    /// <summary>Every row of a plan accepted at or before <paramref name="until"/> (all when null), in acceptance order.</summary>
    Task<IReadOnlyList<ReportLogEntry>> ReadPlan(string planId, DateTimeOffset? until = null);
}
