using Minsheng.Domain.Plans;

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
            if (plan.Versions.Contains(version)) return Task.FromResult(new AppendResult(AppendStatus.VersionTaken, 0));
            if (entry.Version > 1 && !plan.Versions.Contains(version with { Item4 = entry.Version - 1 }))
                return Task.FromResult(new AppendResult(AppendStatus.PredecessorMissing, 0));
            plan.Versions.Add(version);
            var row = entry with { Seq = plan.Rows.Count + 1 };
            plan.Rows.Add(row);
            if (row.ReportId is { } reportId) plan.ByReportId[reportId] = row;
            plan.Latest[new AssignmentKey(row.TaskId, row.UnitId, row.MetricId)] = row;
            if (row.Kind == LogKind.Report) plan.Assignment(row.TaskId, row.UnitId).Add(row);
            return Task.FromResult(new AppendResult(AppendStatus.Appended, row.Seq));
        }
    }

    public Task<IReadOnlyList<ReportLogEntry>> ReadLatest(string planId, IReadOnlyCollection<AssignmentKey> keys)
    {
        lock (_gate)
        {
            var latest = Plan(planId).Latest;
            return Task.FromResult<IReadOnlyList<ReportLogEntry>>(
                keys.Select(k => latest.GetValueOrDefault(k)).OfType<ReportLogEntry>().ToList());
        }
    }

    public Task<ReportLogEntry?> FindAt(string planId, long seq)
    {
        lock (_gate)
        {
            var rows = Plan(planId).Rows;
            return Task.FromResult(seq >= 1 && seq <= rows.Count ? rows[(int)(seq - 1)] : null);
        }
    }

    public Task<ReportLogEntry?> FindReport(string planId, string reportId)
    {
        lock (_gate) return Task.FromResult(Plan(planId).ByReportId.GetValueOrDefault(reportId));
    }

    public Task<IReadOnlyList<ReportLogEntry>> ReadAssignment(string planId, string taskId, string unitId, long after = 0, int limit = int.MaxValue)
    {
        lock (_gate)
        {
            // Rows are in seq order: find the first after the position by binary search, then take a page.
            var rows = Plan(planId).Assignment(taskId, unitId);
            var from = FirstAfter(rows, after);
            return Task.FromResult<IReadOnlyList<ReportLogEntry>>(rows.Skip(from).Take(limit).ToList());
        }
    }

    public Task<IReadOnlyList<ReportLogEntry>> ReadPlan(string planId, DateTimeOffset? until = null) =>
        Read(planId, r => until is null || r.At <= until);

    private Task<IReadOnlyList<ReportLogEntry>> Read(string planId, Func<ReportLogEntry, bool> filter)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<ReportLogEntry>>(Plan(planId).Rows.Where(filter).ToList());
    }

    /// <summary>The index of the first row whose seq is above <paramref name="after"/> (rows.Count when none is).</summary>
    private static int FirstAfter(List<ReportLogEntry> rows, long after)
    {
        var (low, high) = (0, rows.Count);
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (rows[middle].Seq <= after) low = middle + 1;
            else high = middle;
        }
        return low;
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
        public Dictionary<AssignmentKey, ReportLogEntry> Latest { get; } = [];
        private Dictionary<(string, string), List<ReportLogEntry>> ByAssignment { get; } = [];

        /// <summary>The report rows of one (task, unit), in seq order.</summary>
        public List<ReportLogEntry> Assignment(string taskId, string unitId) =>
            ByAssignment.TryGetValue((taskId, unitId), out var rows) ? rows : ByAssignment[(taskId, unitId)] = [];
    }
}
