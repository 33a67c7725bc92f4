namespace Minsheng.Grains.Audit;

/// <summary>
/// The append-only record of refused writes, case actions and clock moves. In PostgreSQL mode it is durable and
/// written before the answer is sent. Accepted reports and schedule changes are not here: each is its own row of the
/// report log, which is their history.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends an entry.</summary>
    Task Append(AuditEntry entry, CancellationToken cancellationToken = default);
}
