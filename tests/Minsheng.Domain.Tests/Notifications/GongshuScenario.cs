using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Tests.Notifications;

/// <summary>
/// The real plan (seeds/gongshu-2024.plan.json: start 2024-02-28 00:00, deadline 2024-11-30 23:59:59, final deadline
/// 2024-12-31 23:59:59, +08:00; 18 streets, 8 departments, 22 tasks, 185 assignment metrics) and one set of facts whose
/// consequences are worked out by hand in the tests:
/// <list type="bullet">
/// <item>every assignment on a back-loaded schedule (倒排计划: its whole target by 2024-11-30), so nothing lags before the deadline;</item>
/// <item>reported at 2024-02-28 10:00 and never again: 上塘 (shangtang) 1.1 done (1/1), 康桥 (kangqiao) all six done
/// (3.1 14, 4.1 1, 4.2 11, 6.1 2, 6.2 2, 10.2 1), 上塘 3.1 at 4/14, 上塘 8.1 at 500/1135, 区本级 8.2 at 3/16.</item>
/// </list>
/// 上塘 has 12 assignments (1.1 1.2 2.2 3.1 4.1 4.2 6.1 6.2 8.1 9.1 10.1 10.2), so 11 not done; 武林 (wulin) 7, none done.
/// Not done in all: 185 − 1 − 6 = 178.
/// </summary>
internal static class GongshuScenario
{
    public static readonly PlanIndex Gongshu = new(PlanLoader.LoadDirectory(RepoFiles.Seeds).Single(p => p.Id == "gongshu-2024"));

    public static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    /// <summary>When every report of the scenario was made.</summary>
    public static readonly DateTimeOffset Reported = At(2, 28, 10);

    public static readonly string[] KangqiaoTasks = ["3.1", "4.1", "4.2", "6.1", "6.2", "10.2"];

    public static DateTimeOffset At(int month, int day, int hour = 0, int minute = 0, int second = 0) => new(2024, month, day, hour, minute, second, Cst);

    public static AssignmentKey Key(string task, string unit, string metric = PlanUnits.MainMetric) => new(task, unit, metric);

    /// <summary>Every assignment at 0 on the back-loaded schedule: nothing reported.</summary>
    public static Dictionary<AssignmentKey, ProgressFact> Nothing() =>
        Gongshu.AllAssignments.ToDictionary(a => a.Key, a => new ProgressFact(0, 0, null, null, [new Milestone(new DateOnly(2024, 11, 30), a.Assignment.Target)]));

    /// <summary>The scenario's facts (see the class summary).</summary>
    public static Dictionary<AssignmentKey, ProgressFact> Facts()
    {
        var facts = Nothing();
        Done(facts, Key("1.1", "shangtang"), Reported);
        foreach (var task in KangqiaoTasks) Done(facts, Key(task, "kangqiao"), Reported);
        Report(facts, Key("3.1", "shangtang"), 4);
        Report(facts, Key("8.1", "shangtang"), 500);
        Report(facts, Key("8.2", "district"), 3);
        return facts;
    }

    /// <summary>The facts as they stood: nothing before the reports of 2024-02-28 10:00, the scenario's after.</summary>
    public static Func<DateTimeOffset, IReadOnlyDictionary<AssignmentKey, ProgressFact>> FactsAt()
    {
        var before = Nothing();
        var after = Facts();
        return instant => instant < Reported ? before : after;
    }

    public static void Done(Dictionary<AssignmentKey, ProgressFact> facts, AssignmentKey key, DateTimeOffset at)
    {
        var target = Gongshu.FindAssignment(key.TaskId, key.UnitId, key.MetricId)!.Value.Assignment.Target;
        facts[key] = facts[key] with { Completed = target, Version = facts[key].Version + 1, LastReportAt = at, DoneAt = at };
    }

    public static void Report(Dictionary<AssignmentKey, ProgressFact> facts, AssignmentKey key, long completed) =>
        facts[key] = facts[key] with { Completed = completed, Version = facts[key].Version + 1, LastReportAt = Reported };
}
