using System.Collections.Concurrent;

namespace Minsheng.Silo.Audit;

/// <summary>The embedded default's audit log: kept in this process only, like the rest of the in-memory state.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly ConcurrentQueue<AuditEntry> _entries = new();

    /// <summary>Every entry so far, oldest first (for tests and operators).</summary>
    public IReadOnlyList<AuditEntry> Entries => _entries.ToArray();

    public Task Append(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        _entries.Enqueue(entry);
        return Task.CompletedTask;
    }
}
