using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;
using static Minsheng.Domain.Tests.Reviews.SmallReviewPlan;

namespace Minsheng.Domain.Tests.Reviews;

/// <summary>Year-end input on <see cref="SmallReviewPlan"/> (deadline Jan 31, final deadline Feb 29).</summary>
public sealed class FinalEvaluatorTests
{
    private static readonly Dictionary<AssignmentKey, ProgressFact> Facts = new()
    {
        [Key("1.1", "a")] = Fact(10, At(1, 20), 10),              // on time
        [Key("1.1", "b")] = Fact(10, At(2, 10), 10),              // late, in the 查漏补缺 month
        [Key("1.1", "c")] = Fact(10, At(1, 30), 10),              // on time
        [Key("1.1", "d")] = Fact(7, At(2, 10), 10),               // not done
        [Key("1.1", "district")] = Fact(10, At(1, 2), 10),        // on time
    };

    private static MonthlyEvaluation Month(string month, params (string Id, decimal Total)[] streets) => new(
        "small", month, DateTimeOffset.UnixEpoch, MonthlyEvaluationOptions.Default,
        streets.Select(s => new MonthlyScore(s.Id, s.Id, 0, 0, 0, 0, 0, 0, 0, 0, 0, s.Total, false, 0, 0, s.Total, 0)).ToList(), []);

    [Fact]
    public void Ranks_by_completion_then_by_the_mean_monthly_score()
    {
        var months = new[] { Month("2024-01", ("a", 90m), ("c", 95m), ("b", 80m)), Month("2024-02", ("a", 91m), ("c", 95m), ("b", 70m)) };
        var cases = new[]
        {
            new SupervisionCase("C0001", "1.1", "d", CaseKind.Overdue, CaseState.Open, At(2, 1), "逾期", ["p", "L"], []),
            new SupervisionCase("C0002", "1.1", "b", CaseKind.Overdue, CaseState.Closed, At(2, 1), "逾期", ["p", "L"], [], At(2, 10), "完成"),
        };
        var result = new FinalEvaluator(Small, FinalEvaluationOptions.Default, StatusRules.DefaultLagTolerance).Evaluate(Facts, months, cases);

        // c and a both 1 of 1 on time; c's mean (95) beats a's (90.5). b: late, 0.5. d: not done, 0.
        Assert.Equal(["c", "a", "b", "d"], result.Streets.Select(r => r.Id));
        Assert.Equal([1, 2, 3, 4], result.Streets.Select(r => r.Rank));
        Assert.Equal([1m, 1m, 0.5m, 0m], result.Streets.Select(r => r.Completion));
        Assert.Equal<decimal?>([95m, 90.5m, 75m, null], result.Streets.Select(r => r.MonthlyMean));
        var b = result.Streets[2];
        Assert.Equal((1, 0, 1, 0, 1, 1, 0), (b.Assignments, b.DoneOnTime, b.DoneLate, b.NotDone, b.CasesOpened, b.CasesClosed, b.CasesStillOpen));

        // p leads 1.1: district, a, c on time; b late; d not done -> (3 + 0.5) / 5 = 0.7; it answers for both cases.
        // q leads 2.1, nothing done -> 0.
        var p = result.Departments[0];
        Assert.Equal(("p", 5, 3, 1, 1, 0.7m, 2, 1), (p.Id, p.Assignments, p.DoneOnTime, p.DoneLate, p.NotDone, p.Completion, p.CasesOpened, p.CasesStillOpen));
        Assert.Equal(("q", 0m, 2), (result.Departments[1].Id, result.Departments[1].Completion, result.Departments[1].Rank));
    }
}
