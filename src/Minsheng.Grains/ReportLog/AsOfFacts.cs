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
    /// The facts at each of <paramref name="instants"/>, one read per distinct instant: for a rule that asks for the
    /// facts at instants it names synchronously (<c>SupervisionEngine.AdvanceTo</c>'s <c>factsAt</c>).
    /// </summary>
    public static async Task<IReadOnlyDictionary<DateTimeOffset, IReadOnlyDictionary<AssignmentKey, ProgressFact>>> FactsAt(
        this IReportLog log, PlanIndex plan, IEnumerable<DateTimeOffset> instants)
    {
        var facts = new Dictionary<DateTimeOffset, IReadOnlyDictionary<AssignmentKey, ProgressFact>>();
        foreach (var at in instants)
            if (!facts.ContainsKey(at)) facts[at] = await log.FactsAt(plan, at);
        return facts;
    }
}
