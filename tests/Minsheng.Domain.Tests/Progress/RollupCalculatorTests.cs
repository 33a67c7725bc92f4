using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Tests.Progress;

/// <summary>
/// Every ratio of the contract on a small plan whose numbers are worked out by hand in the comments.
/// Streets a and b; task 1.1 (main 10: district 4, a 3, b 3) led by d; task 2.1 (x 4: a 2, b 2; y 2: a 1, b 1) led by e;
/// task 2.2 (main 5: a 5) led by d. Leader L1 on projects 1 and 2, L2 on project 2.
/// </summary>
public sealed class RollupCalculatorTests
{
    private static readonly Plan Small = new(
        "small", "小计划", 2024, new DateOnly(2024, 1, 1),
        new DateTimeOffset(2024, 11, 30, 23, 59, 59, TimeSpan.FromHours(8)),
        new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.FromHours(8)),
        [new("a", "甲"), new("b", "乙")],
        [new("d", "丁局"), new("e", "戊局")],
        [new("L1", "领导一"), new("L2", "领导二")],
        [
            new("1", "项目一", "", ["L1"], ["d"], [], ["1.1"]),
            new("2", "项目二", "", ["L1", "L2"], ["e", "d"], [], ["2.1", "2.2"]),
        ],
        [
            new("1.1", "1", "任务", "d", [new("main", "任务", "个", 10)], [new("district", "main", 4), new("a", "main", 3), new("b", "main", 3)]),
            new("2.1", "2", "任务", "e", [new("x", "甲指标", "人", 4), new("y", "乙指标", "人", 2)],
                [new("a", "x", 2), new("b", "x", 2), new("a", "y", 1), new("b", "y", 1)]),
            new("2.2", "2", "任务", "d", [new("main", "任务", "个", 5)], [new("a", "main", 5)]),
        ]);

    private static readonly Dictionary<AssignmentKey, ProgressFact> Facts = new()
    {
        [new("1.1", "district", "main")] = Fact(4),
        [new("1.1", "a", "main")] = Fact(1),
        [new("1.1", "b", "main")] = Fact(5), // over-completion: counts as 3 in ratios, shown as 5
        [new("2.1", "a", "x")] = Fact(2),
        [new("2.1", "b", "y")] = Fact(1),
        [new("2.2", "a", "main")] = Fact(2),
    };

    private static ProgressFact Fact(long completed) => new(completed, 1, null);

    private static RollupCalculator Calculator() =>
        new(new PlanIndex(Small), Facts, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), 0.10m);

    [Fact]
    public void Plan_rollup_matches_hand_numbers()
    {
        var rollup = Calculator().Plan();
        // 1.1: (4 + 1 + 3) / 10 = 0.8.  2.1: x (2+0)/4 = 0.5, y (0+1)/2 = 0.5 -> 0.5.  2.2: 2/5 = 0.4.
        // project 1 = 0.8; project 2 = (0.5 + 0.4) / 2 = 0.45; plan = (0.8 + 0.45) / 2 = 0.625.
        Assert.Equal(0.625m, rollup.Ratio);
        Assert.Equal([0.8m, 0.45m], rollup.Projects.Select(p => p.Ratio));
        var t11 = rollup.Projects[0].Tasks.Single();
        Assert.Equal(0.8m, t11.Ratio);
        Assert.Equal(new MetricRollup("main", 10, 10, 0.8m), t11.Metrics.Single()); // completed shown raw: 4 + 1 + 5
        Assert.Equal([0.5m, 0.4m], rollup.Projects[1].Tasks.Select(t => t.Ratio));
        // done: 1.1 district, 1.1 b, 2.1 a x, 2.1 b y; at the plan's start nothing is behind schedule.
        Assert.Equal(new StatusCounts(4, 4, 0, 0), rollup.Counts);
    }

    [Fact]
    public void Street_ratio_is_the_mean_of_its_assignment_ratios()
    {
        var calc = Calculator();
        // a: 1.1 1/3; 2.1 mean(2/2, 0/1) = 1/2; 2.2 2/5 -> (1/3 + 1/2 + 2/5) / 3 = 37/90 = 0.411111
        Assert.Equal(0.411111m, calc.Street(new NamedUnit("a", "甲")).Ratio);
        // b: 1.1 min(5,3)/3 = 1; 2.1 mean(0/2, 1/1) = 1/2 -> 0.75
        Assert.Equal(0.75m, calc.Street(new NamedUnit("b", "乙")).Ratio);
        Assert.Equal(5, calc.Street(new NamedUnit("b", "乙")).Assignments.Single(v => v.TaskId == "1.1").Completed);
    }

    [Fact]
    public void Department_and_leader_ratios_are_means_of_task_and_project_ratios()
    {
        var calc = Calculator();
        Assert.Equal(0.6m, calc.Department(new NamedUnit("d", "丁局")).Ratio);   // (0.8 + 0.4) / 2
        Assert.Equal(0.5m, calc.Department(new NamedUnit("e", "戊局")).Ratio);   // 2.1
        Assert.Equal(0.625m, calc.Leader(new NamedUnit("L1", "领导一")).Ratio); // (0.8 + 0.45) / 2
        Assert.Equal(0.45m, calc.Leader(new NamedUnit("L2", "领导二")).Ratio);
        Assert.Equal(0.45m, calc.Project(Small.Projects[1]).Ratio);
    }

    [Fact]
    public void Missing_facts_count_as_nothing_done()
    {
        var empty = new RollupCalculator(new PlanIndex(Small), new Dictionary<AssignmentKey, ProgressFact>(), DateTimeOffset.UnixEpoch, 0.1m);
        Assert.Equal(0m, empty.Plan().Ratio);
    }
}
