using Minsheng.Grains.ReportLog;

namespace Minsheng.Grains.Owners;

/// <summary>
/// The rows of an owner's most recent reportIds, so a quick retry is answered without asking the log. Bounded: the
/// oldest falls out first, and a retry of one no longer here is answered from the log's unique reportId index. Not
/// thread-safe (one owner activation uses it).
/// </summary>
internal sealed class RecentReports(int capacity)
{
    private readonly Dictionary<string, ReportLogEntry> _rows = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count => _rows.Count;

    public bool TryGet(string reportId, out ReportLogEntry row) => _rows.TryGetValue(reportId, out row!);

    public void Add(ReportLogEntry row)
    {
        if (row.ReportId is not { } id || !_rows.TryAdd(id, row)) return;
        _order.Enqueue(id);
        while (_order.Count > capacity) _rows.Remove(_order.Dequeue());
    }
}
