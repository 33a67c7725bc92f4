using Minsheng.Domain.Plans;

namespace Minsheng.Grains.ReportLog;

/// <summary>
/// One plan's rows in the in-memory report log, behind the plan's own lock. Beside the rows in acceptance order it keeps
/// the indexes the PostgreSQL table has: reportId, each assignment metric's rows (<see cref="MetricRows"/>: newest
/// version, and by stamp for as-of reads), each (task, unit)'s reports for history pages.
/// </summary>
internal sealed class PlanLog
{
    private readonly Lock _gate = new();
    private readonly List<ReportLogEntry> _rows = [];
    private readonly Dictionary<string, ReportLogEntry> _byReportId = new(StringComparer.Ordinal);
    private readonly Dictionary<AssignmentKey, MetricRows> _metrics = [];
    private readonly Dictionary<(string, string), List<ReportLogEntry>> _reports = [];

    /// <summary>
    /// Appends unless the reportId is taken, the version is taken, or it does not follow its predecessor (missing, or
    /// holding another count than the row's <c>previous</c>). A metric's versions are 1…n without a gap, so its newest
    /// version says which versions exist.
    /// </summary>
    public AppendResult Append(ReportLogEntry entry)
    {
        // PostgreSQL's CHECK (version > 0): a programming error, not a refusal.
        ArgumentOutOfRangeException.ThrowIfLessThan(entry.Version, 1, nameof(entry));
        lock (_gate)
        {
            if (entry.ReportId is { } id && _byReportId.TryGetValue(id, out var existing))
                return new AppendResult(AppendStatus.DuplicateReportId, existing.Seq, existing);
            var key = new AssignmentKey(entry.TaskId, entry.UnitId, entry.MetricId);
            var metric = _metrics.GetValueOrDefault(key);
            var newest = metric?.Newest.Version ?? 0;
            if (entry.Version <= newest) return new AppendResult(AppendStatus.VersionTaken, 0);
            if (entry.Version > newest + 1 || (metric is not null && metric.Newest.Completed != entry.Previous))
                return new AppendResult(AppendStatus.PredecessorMissing, 0);

            var row = entry with { Seq = _rows.Count + 1 };
            _rows.Add(row);
            if (row.ReportId is { } reportId) _byReportId[reportId] = row;
            if (metric is null) _metrics[key] = new MetricRows(row);
            else metric.Add(row);
            if (row.Kind == LogKind.Report) Reports(row.TaskId, row.UnitId).Add(row);
            return new AppendResult(AppendStatus.Appended, row.Seq);
        }
    }

    public IReadOnlyList<ReportLogEntry> ReadLatest(IReadOnlyCollection<AssignmentKey> keys)
    {
        lock (_gate) return keys.Select(k => _metrics.GetValueOrDefault(k)?.Newest).OfType<ReportLogEntry>().ToList();
    }

    public IReadOnlyList<ReportLogEntry> ReadAsOf(IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset at)
    {
        lock (_gate) return keys.Select(k => _metrics.GetValueOrDefault(k)?.AsOf(at)).OfType<ReportLogEntry>().ToList();
    }

    public IReadOnlyList<ReportLogEntry> ReadStamped(IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset after, DateTimeOffset upTo)
    {
        lock (_gate) return keys.SelectMany(k => _metrics.GetValueOrDefault(k)?.Stamped(after, upTo) ?? []).ToList();
    }

    public ReportLogEntry? FindAt(long seq)
    {
        lock (_gate) return seq >= 1 && seq <= _rows.Count ? _rows[(int)(seq - 1)] : null;
    }

    public long LastSeq
    {
        get { lock (_gate) return _rows.Count; }
    }

    public ReportLogEntry? FindReport(string reportId)
    {
        lock (_gate) return _byReportId.GetValueOrDefault(reportId);
    }

    public IReadOnlyList<ReportLogEntry> ReadAssignment(string taskId, string unitId, long after, int limit)
    {
        lock (_gate)
        {
            // Rows are in seq order: find the first after the position by binary search, then take a page.
            if (!_reports.TryGetValue((taskId, unitId), out var rows)) return [];
            return rows.Skip(FirstAfter(rows, after)).Take(limit).ToList();
        }
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

    /// <summary>The report rows of one (task, unit), in seq order.</summary>
    private List<ReportLogEntry> Reports(string taskId, string unitId) =>
        _reports.TryGetValue((taskId, unitId), out var rows) ? rows : _reports[(taskId, unitId)] = [];
}
