using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.ReportLog;

/// <summary>
/// The facts of a plan through time, from its report-log rows: each assignment's fact as it stood at any instant.
/// Checkpoints are judged on it (a report accepted after Monday 09:00 does not count for that Monday, however late the
/// check runs), and as-of views read it.
/// </summary>
public sealed class FactTimeline
{
    private readonly Dictionary<AssignmentKey, List<ReportLogEntry>> _rows = [];

    public FactTimeline(IEnumerable<ReportLogEntry> rows)
    {
        foreach (var row in rows.OrderBy(r => r.Seq))
        {
            var key = new AssignmentKey(row.TaskId, row.UnitId, row.MetricId);
            if (!_rows.TryGetValue(key, out var list)) _rows[key] = list = [];
            list.Add(row);
        }
    }

    /// <summary>Each assignment's fact after the last of its rows accepted at or before <paramref name="at"/>.</summary>
    public IReadOnlyDictionary<AssignmentKey, ProgressFact> AsOf(DateTimeOffset at)
    {
        var facts = new Dictionary<AssignmentKey, ProgressFact>();
        foreach (var (key, rows) in _rows)
        {
            ReportLogEntry? last = null;
            foreach (var row in rows)
                if (row.At <= at) last = row;
            if (last is not null) facts[key] = last.ToUpdate().ToFact();
        }
        return facts;
    }

    /// <summary>The last fact of each assignment among rows given in acceptance order.</summary>
    public static IReadOnlyList<FactUpdate> Latest(IEnumerable<ReportLogEntry> rows)
    {
        var latest = new Dictionary<(string, string, string), FactUpdate>();
        foreach (var row in rows) latest[(row.TaskId, row.UnitId, row.MetricId)] = row.ToUpdate();
        return latest.Values.ToList();
    }
}
