using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains.ReportLog;

namespace Minsheng.Grains.Owners;

/// <summary>
/// The rows an owner has handed to the log and not yet seen committed: per assignment metric the latest decided fact
/// (what the next report builds on) and how many rows are still waiting; per reportId the commit a retry waits for.
/// Not thread-safe (one owner activation's turns use it, never at once).
/// </summary>
internal sealed class InFlight
{
    private readonly Dictionary<AssignmentKey, (ProgressFact Latest, int Waiting)> _byKey = [];
    private readonly Dictionary<string, Row> _byReportId = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>A report in flight: its id, the fingerprint of its body and the commit that will hold it.</summary>
    public sealed record Row(string ReportId, string? Fingerprint, Task<AppendResult> Commit);

    public int Count => _count;

    /// <summary>The last fact decided for a metric while rows of it are in flight; null when none is.</summary>
    public ProgressFact? Latest(AssignmentKey key) => _byKey.TryGetValue(key, out var entry) ? entry.Latest : null;

    public Row? Find(string reportId) => _byReportId.GetValueOrDefault(reportId);

    public void Add(AssignmentKey key, ProgressFact next, string? reportId, string? fingerprint, Task<AppendResult> commit)
    {
        _byKey[key] = (next, (_byKey.TryGetValue(key, out var entry) ? entry.Waiting : 0) + 1);
        if (reportId is not null) _byReportId[reportId] = new Row(reportId, fingerprint, commit);
        _count++;
    }

    /// <summary>One row of the metric has its answer from the log (committed or not); the last one ends its tentative fact.</summary>
    public void Remove(AssignmentKey key, string? reportId)
    {
        var (latest, waiting) = _byKey[key];
        if (waiting == 1) _byKey.Remove(key);
        else _byKey[key] = (latest, waiting - 1);
        if (reportId is not null) _byReportId.Remove(reportId);
        _count--;
    }
}
