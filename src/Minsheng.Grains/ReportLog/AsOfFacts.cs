using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.ReportLog;

/// <summary>
/// A plan's facts as they stood at an instant, from the report log: each assignment's row that stood then
/// (<see cref="IReportLog.ReadAsOf"/>, index steps per assignment). Checkpoints and reviews are judged on them (a report
/// accepted after Monday 09:00 does not count for that Monday, however late the check runs), and as-of views read them.
/// </summary>
public static class AsOfFacts
{
    /// <summary>The fact of each assignment of <paramref name="plan"/> written by <paramref name="at"/> (inclusive).</summary>
    public static async Task<IReadOnlyList<FactUpdate>> UpdatesAsOf(this IReportLog log, PlanIndex plan, DateTimeOffset at) =>
        (await log.ReadAsOf(plan.Id, plan.AllAssignments.Select(a => a.Key).ToList(), at)).Select(r => r.ToUpdate()).ToList();

    /// <summary>The same facts keyed by assignment, as the domain's rules take them.</summary>
    public static async Task<IReadOnlyDictionary<AssignmentKey, ProgressFact>> FactsAt(this IReportLog log, PlanIndex plan, DateTimeOffset at) =>
        (await log.UpdatesAsOf(plan, at)).ToFactMap();

    /// <summary>
    /// The facts at each of <paramref name="instants"/> (for a rule that asks for them synchronously:
    /// <c>SupervisionEngine.AdvanceTo</c>'s <c>factsAt</c>, a catch-up of reviews), computed incrementally: the rows
    /// that stood at the first instant, then only the rows stamped up to the last (<see cref="IReportLog.ReadStamped"/>),
    /// stepped through in time order; with each metric's newest row, so every instant answers exactly as
    /// <see cref="IReportLog.ReadAsOf"/> would. Three index reads however many instants: a year of daily checkpoints
    /// caught up at once costs what changed in that year, not one read of every assignment per day.
    /// </summary>
    public static async Task<IReadOnlyDictionary<DateTimeOffset, IReadOnlyDictionary<AssignmentKey, ProgressFact>>> FactsAt(
        this IReportLog log, PlanIndex plan, IEnumerable<DateTimeOffset> instants)
    {
        var ordered = instants.Distinct().Order().ToList();
        var facts = new Dictionary<DateTimeOffset, IReadOnlyDictionary<AssignmentKey, ProgressFact>>();
        if (ordered.Count <= 2)
        {
            foreach (var at in ordered) facts[at] = await log.FactsAt(plan, at);
            return facts;
        }
        var keys = plan.AllAssignments.Select(a => a.Key).ToList();
        var (first, last) = (ordered[0], ordered[^1]);
        var newest = (await log.ReadLatest(plan.Id, keys)).ToDictionary(Key);
        var standing = (await log.ReadAsOf(plan.Id, keys, first)).ToDictionary(Key);
        var changes = (await log.ReadStamped(plan.Id, keys, first, last))
            .GroupBy(Key)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.At).ThenBy(r => r.Version).ToList());
        var next = changes.ToDictionary(c => c.Key, _ => 0);
        foreach (var at in ordered)
        {
            // Each metric's row that stood at this instant: the rows stamped since the last instant move it on.
            foreach (var (key, rows) in changes)
            {
                var i = next[key];
                while (i < rows.Count && rows[i].At <= at) standing[key] = rows[i++];
                next[key] = i;
            }
            // As ReadAsOf defines it: the newest row when it is stamped by then, else the row stamped latest by then.
            facts[at] = standing.Select(s => newest.TryGetValue(s.Key, out var n) && n.At <= at ? n : s.Value)
                .Select(r => r.ToUpdate()).ToFactMap();
        }
        return facts;
    }

    private static AssignmentKey Key(ReportLogEntry row) => new(row.TaskId, row.UnitId, row.MetricId);
}
