using Minsheng.Grains.Messages;

namespace Minsheng.Silo.Audit;

/// <summary>
/// The append-only record of every accepted and refused write. In PostgreSQL mode it is durable and written before
/// the answer is sent; the history endpoint reads accepted reports from it.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends an entry. An accepted report is recorded once per (plan, reportId), however often it is retried.</summary>
    Task Append(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Accepted reports and corrections of one assignment unit of a task, oldest first.</summary>
    Task<IReadOnlyList<HistoryEntry>> History(string planId, string taskId, string unitId, CancellationToken cancellationToken = default);
}
