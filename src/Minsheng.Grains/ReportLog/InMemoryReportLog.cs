using System.Collections.Concurrent;
using Minsheng.Domain.Plans;

namespace Minsheng.Grains.ReportLog;

/// <summary>
/// The report log of the embedded default: the same contract as the PostgreSQL table, kept in this process (gone on
/// restart, like the rest of the in-memory state). Thread-safe; one instance serves every silo of the process. Each plan
/// has its own log and lock, so one plan's appends and reads never wait for another's.
/// </summary>
public sealed class InMemoryReportLog : IReportLog
{
    private readonly ConcurrentDictionary<string, PlanLog> _plans = new(StringComparer.Ordinal);

    public Task<AppendResult> Append(ReportLogEntry entry) => Task.FromResult(Plan(entry.PlanId).Append(entry));

    public Task<IReadOnlyList<ReportLogEntry>> ReadLatest(string planId, IReadOnlyCollection<AssignmentKey> keys) =>
        Task.FromResult(Plan(planId).ReadLatest(keys));

    public Task<IReadOnlyList<ReportLogEntry>> ReadAsOf(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset at) =>
        Task.FromResult(Plan(planId).ReadAsOf(keys, at));

    public Task<IReadOnlyList<ReportLogEntry>> ReadStamped(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset after, DateTimeOffset upTo) =>
        Task.FromResult(Plan(planId).ReadStamped(keys, after, upTo));

    public Task<ReportLogEntry?> FindAt(string planId, long seq) => Task.FromResult(Plan(planId).FindAt(seq));

    public Task<long> LastSeq(string planId) => Task.FromResult(Plan(planId).LastSeq);

    public Task<ReportLogEntry?> FindReport(string planId, string reportId) => Task.FromResult(Plan(planId).FindReport(reportId));

    public Task<IReadOnlyList<ReportLogEntry>> ReadAssignment(string planId, string taskId, string unitId, long after = 0, int limit = int.MaxValue) =>
        Task.FromResult(Plan(planId).ReadAssignment(taskId, unitId, after, limit));

    private PlanLog Plan(string planId) => _plans.GetOrAdd(planId, static _ => new PlanLog());
}
