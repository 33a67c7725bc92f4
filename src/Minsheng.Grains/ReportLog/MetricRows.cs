namespace Minsheng.Grains.ReportLog;

/// <summary>
/// The rows of one assignment metric in the in-memory report log: its newest version, and every row ordered by (stamp,
/// version) as PostgreSQL's as-of index orders them (migration 0009), binary-searched by stamp. Stamps follow versions, so a row normally goes
/// at the end; one stamped before its predecessor (a system clock stepping back) goes where its stamp sorts.
/// Not thread-safe: its <see cref="PlanLog"/> holds the lock.
/// </summary>
internal sealed class MetricRows(ReportLogEntry first)
{
    private readonly List<ReportLogEntry> _byStamp = [first];

    /// <summary>The highest version: the metric's current fact.</summary>
    public ReportLogEntry Newest { get; private set; } = first;

    public void Add(ReportLogEntry row)
    {
        _byStamp.Insert(FirstAfter(row.At, row.Version), row);
        Newest = row;
    }

    /// <summary>
    /// The row that stood at <paramref name="at"/>, as <see cref="IReportLog.ReadAsOf"/> defines it: the newest row when
    /// it is stamped at or before the instant, else the row stamped latest at or before it (null when none is).
    /// </summary>
    public ReportLogEntry? AsOf(DateTimeOffset at)
    {
        if (Newest.At <= at) return Newest;
        var index = FirstAfter(at, long.MaxValue) - 1;
        return index >= 0 ? _byStamp[index] : null;
    }

    /// <summary>The rows stamped in (<paramref name="after"/>, <paramref name="upTo"/>], in (stamp, version) order.</summary>
    public IEnumerable<ReportLogEntry> Stamped(DateTimeOffset after, DateTimeOffset upTo)
    {
        var (from, to) = (FirstAfter(after, long.MaxValue), FirstAfter(upTo, long.MaxValue));
        for (var i = from; i < to; i++) yield return _byStamp[i];
    }

    /// <summary>The index of the first row ordered after (<paramref name="at"/>, <paramref name="version"/>), by binary search.</summary>
    private int FirstAfter(DateTimeOffset at, long version)
    {
        var (low, high) = (0, _byStamp.Count);
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            var row = _byStamp[middle];
            if (row.At < at || (row.At == at && row.Version <= version)) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
