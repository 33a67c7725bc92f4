using System.Collections.Concurrent;
using Minsheng.Grains.Messages;

namespace Minsheng.Silo.Audit;

/// <summary>The embedded default's audit log: kept in this process only, like the rest of the in-memory state.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly ConcurrentQueue<AuditEntry> _entries = new();
    private readonly ConcurrentDictionary<(string, string), byte> _reports = new();

    public Task Append(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var isReport = entry is { Action: AuditActions.Report, Outcome: "accepted", PlanId: not null, ReportId: not null };
        if (!isReport || _reports.TryAdd((entry.PlanId!, entry.ReportId!), 0)) _entries.Enqueue(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<HistoryEntry>> History(string planId, string taskId, string unitId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<HistoryEntry>>(_entries
            .Where(e => e is { Action: AuditActions.Report, Outcome: "accepted" } && e.PlanId == planId && e.TaskId == taskId && e.UnitId == unitId)
            .Select(AuditHistory.ToHistoryEntry)
            .ToList());
}
