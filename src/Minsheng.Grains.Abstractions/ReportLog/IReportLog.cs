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

    /// <summary>The highest position of the plan's log (0 when empty): one step on the primary key.</summary>
    Task<long> LastSeq(string planId);

    /// <summary>The row of a reportId in the plan's log, if any (the unique index answers).</summary>
    Task<ReportLogEntry?> FindReport(string planId, string reportId);


    /// <summary>
    /// The reports and corrections of one (task, unit), in acceptance order: those after log position
    /// <paramref name="after"/>, at most <paramref name="limit"/> of them (an index serves it, not a scan of the plan).
    /// </summary>
    Task<IReadOnlyList<ReportLogEntry>> ReadAssignment(string planId, string taskId, string unitId, long after = 0, int limit = int.MaxValue);

    /// <summary>
    /// The row of each given assignment metric that stood at the instant <paramref name="at"/> (inclusive): its fact is
    /// the metric's fact then; none for a metric with no row by then. What as-of views, checkpoints and reviews read: at
    /// most two index steps per key (PostgreSQL: the version index, and the (plan, task, unit, metric, at, version) index
    /// of migration 0009), however long the history and wherever the instant falls; never the plan's whole log.
    /// </summary>
    /// <remarks>
    /// Meant: the highest version accepted at or before <paramref name="at"/>. Found as: the newest row when it is
    /// stamped by then, else the row stamped latest by then (the highest version among rows stamped the same instant: a
    /// frozen simulated clock stamps many alike). The two are the same because a metric's rows are stamped in version
    /// order: its owner stamps each report from its silo's business clock after the previous one committed, and that
    /// clock does not go back (a simulated one moves only forward). Should the stamps ever step back between two reports
    /// of one metric (NTP stepping a system clock; an owner moving to a silo whose clock lags), no index finds the
    /// highest version stamped by an instant in one step; then any instant at or after all of the metric's stamps still
    /// sees its newest row (the year-end input, checkpoints judged on time), and only instants from the predecessor's
    /// later stamp until the metric's next report see that predecessor instead of the row stamped back after it. Both
    /// implementations answer alike, step back or not.
    /// </remarks>
    Task<IReadOnlyList<ReportLogEntry>> ReadAsOf(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset at);

    /// <summary>
    /// The rows of the given assignment metrics stamped in (<paramref name="after"/>, <paramref name="upTo"/>], each
    /// metric's in (stamp, version) order: what changed between two checkpoints, one index range per metric (the as-of
    /// index of migration 0009), never the plan's whole log. Checkpoints and reviews that fall due together are judged
    /// incrementally from it (<c>AsOfFacts.FactsAt</c> with several instants).
    /// </summary>
    Task<IReadOnlyList<ReportLogEntry>> ReadStamped(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset after, DateTimeOffset upTo);
}
