using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains;

/// <summary>Maps between wire messages, stored records and the domain's fact type.</summary>
public static class FactMapping
{
    public static AssignmentKey Key(this FactUpdate f) => new(f.TaskId, f.UnitId, f.MetricId);

    public static ProgressFact ToFact(this FactUpdate f) =>
        new(f.Completed, f.Version, f.LastReportAt, f.DoneAt, f.Milestones?.Select(m => new Milestone(m.Date, m.Completed)).ToList());

    public static FactUpdate ToUpdate(this AssignmentKey key, ProgressFact fact) =>
        new(key.TaskId, key.UnitId, key.MetricId, fact.Completed, fact.Version, fact.LastReportAt, fact.DoneAt,
            fact.Milestones?.Select(m => new MilestoneMessage(m.Date, m.Completed)).ToList());

    public static string StorageKey(this AssignmentKey key) => key.ToString();

    /// <summary>The facts as the domain's calculator takes them.</summary>
    public static IReadOnlyDictionary<AssignmentKey, ProgressFact> ToFactMap(this IEnumerable<FactUpdate> facts) =>
        facts.ToDictionary(f => f.Key(), f => f.ToFact());

    public static IReadOnlyList<FactUpdate> ToUpdates(this FactLedger ledger) =>
        ledger.Facts.Select(kv => kv.Key.ToUpdate(kv.Value)).ToList();

    public static ReportRequest ToRequest(this ReportCommand c) =>
        new(c.ReportId, c.TaskId, c.UnitId, c.MetricId, c.Completed, c.Note, c.Evidence, c.Correction, c.Reason);
}
