namespace Minsheng.Grains.ReportLog;

/// <summary>
/// The report log of the embedded default: the same contract as the PostgreSQL table, kept in this process (gone on
/// restart, like the rest of the in-memory state). Thread-safe; one instance serves every silo of the process.
/// </summary>
public sealed class InMemoryReportLog : IReportLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PlanLog> _plans = new(StringComparer.Ordinal);

    public Task<AppendResult> Append(ReportLogEntry entry)
    {
        lock (_gate)
        {
            var plan = Plan(entry.PlanId);
            if (entry.ReportId is { } id && plan.ByReportId.TryGetValue(id, out var existing))
                return Task.FromResult(new AppendResult(AppendStatus.DuplicateReportId, existing.Seq, existing));
            var version = (entry.TaskId, entry.UnitId, entry.MetricId, entry.Version);
            if (!plan.Versions.Add(version)) return Task.FromResult(new AppendResult(AppendStatus.VersionTaken, 0));
            var row = entry with { Seq = plan.Rows.Count + 1 };
            plan.Rows.Add(row);
            if (row.ReportId is { } reportId) plan.ByReportId[reportId] = row;
            return Task.FromResult(new AppendResult(AppendStatus.Appended, row.Seq));
        }
    }

    public Task<IReadOnlyList<ReportLogEntry>> ReadOwner(string planId, string ownerId) =>
        Read(planId, r => r.OwnerId == ownerId);

    public Task<IReadOnlyList<ReportLogEntry>> ReadAssignment(string planId, string taskId, string unitId) =>
        Read(planId, r => r.Kind == LogKind.Report && r.TaskId == taskId && r.UnitId == unitId);

    public Task<IReadOnlyList<ReportLogEntry>> ReadPlan(string planId, DateTimeOffset? until = null) =>
        Read(planId, r => until is null || r.At <= until);

    private Task<IReadOnlyList<ReportLogEntry>> Read(string planId, Func<ReportLogEntry, bool> filter)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<ReportLogEntry>>(Plan(planId).Rows.Where(filter).ToList());
    }

    private PlanLog Plan(string planId)
    {
        if (!_plans.TryGetValue(planId, out var plan)) _plans[planId] = plan = new PlanLog();
        return plan;
    }

    private sealed class PlanLog
    {
        public List<ReportLogEntry> Rows { get; } = [];
        public Dictionary<string, ReportLogEntry> ByReportId { get; } = new(StringComparer.Ordinal);
        public HashSet<(string, string, string, long)> Versions { get; } = [];
    }
}
