using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Tests.Reviews;

/// <summary>
/// The worked example of docs/evaluation-formula.md, number for number: January 2024 on a plan whose every assignment
/// is due 4 of 10 by 2024-01-31 and 10 by the deadline, 2024-03-31.
/// </summary>
public sealed class MonthlyEvaluatorTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    private static readonly PlanIndex Plan = new(new Plan(
        "example", "示例计划", 2024, new DateOnly(2024, 1, 1),
        new DateTimeOffset(2024, 3, 31, 23, 59, 59, Cst), new DateTimeOffset(2024, 4, 30, 23, 59, 59, Cst),
        [new("a", "甲"), new("b", "乙"), new("c", "丙")], [new("p", "派局")], [new("L", "领导")],
        [new("1", "项目", "", ["L"], ["p"], [], ["1.1"])],
        [new("1.1", "1", "任务", "p", [new("main", "任务", "个", 40)],
            [new("district", "main", 10), new("a", "main", 10), new("b", "main", 10), new("c", "main", 10)])]));

    private static DateTimeOffset At(int month, int day, int hour = 0) => new(2024, month, day, hour, 0, 0, Cst);

    private static readonly Milestone[] Schedule = [new(new DateOnly(2024, 1, 31), 4), new(new DateOnly(2024, 3, 31), 10)];

    private static readonly Dictionary<AssignmentKey, ProgressFact> Facts = new()
    {
        [new("1.1", "district", "main")] = new(4, 1, At(1, 20), null, Schedule),
        [new("1.1", "a", "main")] = new(4, 1, At(1, 20), null, Schedule),
        [new("1.1", "b", "main")] = new(3, 1, At(1, 20), null, Schedule),
        [new("1.1", "c", "main")] = new(1, 1, At(1, 20), null, Schedule),
    };

    private static readonly SupervisionCase[] Cases =
    [
        // c: answered in 3 days promising Jan 20, still open on Jan 31: answered on time, not closed on time, not reopened.
        new("C0001", "1.1", "c", CaseKind.Manual, CaseState.Responded, At(1, 2, 9), "进度滞后", ["p", "L"],
            [new CaseResponse("正在推进", new DateOnly(2024, 1, 20), "p", At(1, 5))]),
        // b: never answered (due Jan 10), closed by the office on Jan 25 (due Feb 2, 30 days), reopened by C0003.
        new("C0002", "1.1", "b", CaseKind.Manual, CaseState.Closed, At(1, 3, 9), "进度滞后", ["p", "L"], [],
            At(1, 25), "已整改"),
        // b again on Jan 28: neither its answer (Feb 4) nor its closing (Feb 27) is due yet.
        new("C0003", "1.1", "b", CaseKind.Manual, CaseState.Open, At(1, 28, 9), "再次滞后", ["p", "L"], []),
    ];

    /// <summary>Five Mondays in January (1, 8, 15, 22, 29); b silent once, c three times, p once. February is ignored.</summary>
    private static readonly WeeklyRanking[] Weeks =
    [
        Week(1, 1, "c"), Week(1, 8, "b", "c"), Week(1, 15, "c"), Week(1, 22, "p"), Week(1, 29), Week(2, 5, "a", "b", "c", "p"),
    ];

    private static WeeklyRanking Week(int month, int day, params string[] silent) =>
        new("example", IsoWeek.Of(new DateOnly(2024, month, day)).ToString(), At(month, day, 9), [], [], [], [],
            silent.Select(id => new SilentUnit(id, ["1.1"])).ToList());

    private static MonthlyEvaluator Evaluator => new(Plan, ReviewOptions.Default, MonthlyEvaluationOptions.Default, StatusRules.DefaultLagTolerance);

    private static MonthlyEvaluation January() => Evaluator.Evaluate(new EvaluationMonth(2024, 1), Facts, Weeks, Cases, previous: null);

    [Fact]
    public void The_worked_example_street_by_street()
    {
        var january = January();
        Assert.Equal(At(1, 31, 23).AddMinutes(59).AddSeconds(59), january.EvaluatedAt);
        var rows = january.Streets.ToDictionary(s => s.Id);

        // a: 0.4 of 0.4 due -> 70; no case -> 20; 5 of 5 weeks -> 10.
        Assert.Equal((0.4m, 0.4m, 70m, 0, 0, 20m, 5, 0, 10m), Parts(rows["a"]));
        // b: 0.3 / 0.4 = 0.75 -> 52.5; C0002 1 of 3 + C0003 3 of 3 = 4 of 6 -> 13.33; 4 of 5 weeks -> 8.
        Assert.Equal((0.3m, 0.4m, 52.5m, 2, 4, 13.33m, 5, 1, 8m), Parts(rows["b"]));
        // c: 0.1 / 0.4 = 0.25 -> 17.5; C0001 2 of 3 -> 13.33; 2 of 5 weeks -> 4.
        Assert.Equal((0.1m, 0.4m, 17.5m, 1, 2, 13.33m, 5, 3, 4m), Parts(rows["c"]));

        Assert.Equal([100m, 73.83m, 34.83m], january.Streets.Select(s => s.Subtotal));
        // c has the lowest subtotal: last place for the first time, 2 points.
        Assert.Equal([false, false, true], january.Streets.Select(s => s.LastPlace));
        Assert.Equal([0m, 0m, 2m], january.Streets.Select(s => s.Penalty));
        Assert.Equal([100m, 73.83m, 32.83m], january.Streets.Select(s => s.Total));
        Assert.Equal([1, 2, 3], january.Streets.Select(s => s.Rank));
    }

    [Fact]
    public void The_worked_example_department()
    {
        var p = Assert.Single(January().Departments);
        // 1.1 = (4 + 4 + 3 + 1) / 40 = 0.3 of 0.4 due -> 52.5; all three cases: 2 + 1 + 3 of 9 -> 13.33; 4 of 5 weeks -> 8.
        Assert.Equal((0.3m, 0.4m, 52.5m, 3, 6, 13.33m, 5, 1, 8m), Parts(p));
        Assert.Equal(73.83m, p.Subtotal);
        Assert.False(p.LastPlace); // alone in its group: nobody to be last behind
        Assert.Equal(73.83m, p.Total);
    }

    [Fact]
    public void Last_place_again_next_month_doubles_the_penalty_up_to_the_cap()
    {
        var february = Evaluator.Evaluate(new EvaluationMonth(2024, 2), Facts, Weeks, Cases, January());
        var c = february.Streets.Single(s => s.Id == "c");
        Assert.True(c.LastPlace);
        Assert.Equal(2, c.LastPlaceStreak);
        Assert.Equal(4m, c.Penalty);
        Assert.Equal(c.Subtotal - 4m, c.Total);

        var harsh = new MonthlyEvaluator(Plan, ReviewOptions.Default, MonthlyEvaluationOptions.Default with { LastPlacePenalty = 6m }, StatusRules.DefaultLagTolerance);
        var capped = harsh.Evaluate(new EvaluationMonth(2024, 2), Facts, Weeks, Cases, January()).Streets.Single(s => s.Id == "c");
        Assert.Equal(10m, capped.Penalty); // min(10, 6 × 2)
    }

    [Fact]
    public void Weights_are_configuration()
    {
        var evenly = new MonthlyEvaluator(Plan, ReviewOptions.Default,
            MonthlyEvaluationOptions.Default with { ProgressWeight = 50m, CaseWeight = 30m, ReportingWeight = 20m }, StatusRules.DefaultLagTolerance);
        var b = evenly.Evaluate(new EvaluationMonth(2024, 1), Facts, Weeks, Cases, null).Streets.Single(s => s.Id == "b");
        Assert.Equal((37.5m, 20m, 16m), (b.Progress, b.Cases, b.Reporting)); // 50 × 0.75, 30 × 4/6, 20 × 4/5
    }

    [Fact]
    public void Months_outside_the_plan_and_a_wrong_previous_month_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluator.Evaluate(new EvaluationMonth(2023, 12), Facts, Weeks, Cases, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluator.Evaluate(new EvaluationMonth(2024, 5), Facts, Weeks, Cases, null));
        Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(new EvaluationMonth(2024, 3), Facts, Weeks, Cases, January()));
        Assert.Equal(["2024-01", "2024-02", "2024-03", "2024-04"], Evaluator.Calendar.Months().Select(m => m.ToString()));
    }

    private static (decimal, decimal, decimal, int, int, decimal, int, int, decimal) Parts(MonthlyScore s) =>
        (s.Ratio, s.Expected, s.Progress, s.CasesCounted, s.CaseChecksMet, s.Cases, s.WeeksCounted, s.SilentWeeks, s.Reporting);
}
