using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Tests.Reviews;

/// <summary>
/// A small plan for the weekly ranking, numbers worked by hand in the tests: streets a, b, c, d; task 1.1 (50 个:
/// district 10 and 10 per street) led by p; task 2.1 (district 4) led by q. Start 2024-01-01 (a Monday), deadline
/// 2024-01-31 23:59:59, final deadline 2024-02-29 23:59:59, all +08:00.
/// </summary>
internal static class SmallReviewPlan
{
    public static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    public static readonly PlanIndex Small = new(new Plan(
        "small", "小计划", 2024, new DateOnly(2024, 1, 1),
        new DateTimeOffset(2024, 1, 31, 23, 59, 59, Cst), new DateTimeOffset(2024, 2, 29, 23, 59, 59, Cst),
        [new("a", "甲"), new("b", "乙"), new("c", "丙"), new("d", "丁")],
        [new("p", "派局"), new("q", "秋局"), new("idle", "闲局")],
        [new("L", "领导")],
        [new("1", "项目一", "", ["L"], ["p"], [], ["1.1"]), new("2", "项目二", "", ["L"], ["q"], [], ["2.1"])],
        [
            new("1.1", "1", "任务一", "p", [new("main", "任务一", "个", 50)],
                [new("district", "main", 10), new("a", "main", 10), new("b", "main", 10), new("c", "main", 10), new("d", "main", 10)]),
            new("2.1", "2", "任务二", "q", [new("main", "任务二", "个", 4)], [new("district", "main", 4)]),
        ]));

    public static DateTimeOffset At(int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(2024, month, day, hour, minute, second, Cst);

    public static AssignmentKey Key(string task, string unit) => new(task, unit, "main");

    /// <summary>A schedule due <paramref name="byJan7"/> by the end of 2024-01-07 and the full 10 by the deadline.</summary>
    public static IReadOnlyList<Milestone> Schedule(long byJan7) =>
        byJan7 == 10 ? [new(new DateOnly(2024, 1, 7), 10)] : [new(new DateOnly(2024, 1, 7), byJan7), new(new DateOnly(2024, 1, 31), 10)];

    public static ProgressFact Fact(long completed, DateTimeOffset? lastReportAt, long byJan7, DateTimeOffset? doneAt = null) =>
        new(completed, 1, lastReportAt, doneAt ?? (completed >= 10 ? lastReportAt : null), Schedule(byJan7));
}
