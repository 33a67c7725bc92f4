using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;

namespace Minsheng.Domain.Tests.Reviews;

/// <summary>
/// Reviews on the real plan (seeds/gongshu-2024.plan.json), with hand-worked numbers: start 2024-02-28 00:00, deadline
/// 2024-11-30 23:59:59, final deadline 2024-12-31 23:59:59 (+08:00).
/// </summary>
public sealed class GongshuReviewTests
{
    private static readonly PlanIndex Gongshu = new(PlanLoader.LoadDirectory(RepoFiles.Seeds).Single(p => p.Id == "gongshu-2024"));
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    private static WeeklyRankingBuilder Builder => new(Gongshu, ReviewOptions.Default, StatusRules.DefaultLagTolerance);

    [Fact]
    public void Weeks_run_from_the_first_monday_after_the_start_to_the_last_before_the_final_deadline()
    {
        var weeks = Builder.Calendar.Weeks();
        Assert.Equal("2024-W10", weeks[0].ToString());  // Mon 2024-03-04; W09's Monday (Feb 26) is before the start
        Assert.Equal("2025-W01", weeks[^1].ToString()); // Mon 2024-12-30 09:00, before 12-31 23:59:59
        Assert.Equal(44, weeks.Count);                  // W10..W52 of 2024 (43) and 2025-W01
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 9, 0, 0, Cst), Builder.Calendar.PublishedAt(new IsoWeek(2024, 23)));
        Assert.Equal(new IsoWeek(2024, 23), Builder.Calendar.LatestAt(new DateTimeOffset(2024, 6, 9, 23, 0, 0, Cst)));
        Assert.Null(Builder.Calendar.LatestAt(new DateTimeOffset(2024, 3, 4, 8, 59, 59, Cst)));
    }

    [Fact]
    public void Week_23_with_one_finished_assignment()
    {
        // 天水 finished its 8 parenting classes (3.1) on 2024-05-30, inside W23's window (May 27 09:00, Jun 3 09:00].
        var reported = new DateTimeOffset(2024, 5, 30, 10, 0, 0, Cst);
        var facts = new Dictionary<AssignmentKey, ProgressFact> { [new("3.1", "tianshui", "main")] = new(8, 1, reported, reported) };
        var ranking = Builder.Build(new IsoWeek(2024, 23), facts, null);

        // 天水 has 9 tasks (3.1 4.1 4.2 6.1 6.2 6.3 9.1 10.1 10.2): 1/9. Every other street 0, sharing rank 2, by id.
        Assert.Equal(("tianshui", "天水", 0.111111m, 1), (ranking.Streets[0].Id, ranking.Streets[0].Name, ranking.Streets[0].Ratio, ranking.Streets[0].Rank));
        Assert.Equal(18, ranking.Streets.Count);
        Assert.All(ranking.Streets.Skip(1), s => Assert.Equal(2, s.Rank));
        Assert.Equal("banshan", ranking.Streets[1].Id);

        // 序时进度, linear for all: (96 d 9 h) / (277 d − 1 s) = 8326800 / 23932799 = 0.347924.
        Assert.All(ranking.Streets, s => Assert.Equal(0.347924m, s.Expected));
        Assert.Equal((23.6813m, Light.Yellow), (ranking.Streets[0].GapPoints, ranking.Streets[0].Light));
        Assert.Equal((34.7924m, Light.Red), (ranking.Streets[1].GapPoints, ranking.Streets[1].Light));

        // 区卫健局 leads 1.3, 3.1, 5.1, 5.2: 3.1 = 8 / 200, so (0.04 + 0 + 0 + 0) / 4 = 0.01.
        Assert.Equal(("health", "区卫健局", 0.01m, 1), (ranking.Departments[0].Id, ranking.Departments[0].Name, ranking.Departments[0].Ratio, ranking.Departments[0].Rank));
        Assert.Equal(8, ranking.Departments.Count);

        // Everything else (every metric assignment but one) is 34.8% due with nothing done: lagging. Nothing overdue yet.
        Assert.Equal(Gongshu.AllAssignments.Count - 1, ranking.Lagging.Count);
        Assert.Empty(ranking.Overdue);

        // Silent: 天水 for its 8 other tasks; 区教育局 owns the district parts of 1.2, 3.2, 7.1 and 7.2.
        Assert.Equal(["4.1", "4.2", "6.1", "6.2", "6.3", "9.1", "10.1", "10.2"], ranking.Silent.Single(s => s.UnitId == "tianshui").TaskIds);
        Assert.Equal(["1.2", "3.2", "7.1", "7.2"], ranking.Silent.Single(s => s.UnitId == "education").TaskIds);
        Assert.Equal("tianshui", ranking.Silent[0].UnitId); // in rank order, streets first
    }

    [Fact]
    public void After_the_deadline_everything_unfinished_is_overdue()
    {
        var ranking = Builder.Build(new IsoWeek(2024, 49), new Dictionary<AssignmentKey, ProgressFact>(), null); // Mon Dec 2
        Assert.Equal(Gongshu.AllAssignments.Count, ranking.Overdue.Count);
        Assert.Empty(ranking.Lagging);
        Assert.All(ranking.Streets, s => Assert.Equal((1m, 100m, Light.Red, 1), (s.Expected, s.GapPoints, s.Light, s.Rank)));
    }

    [Fact]
    public void Months_from_february_to_december()
    {
        var months = new MonthlyEvaluator(Gongshu, ReviewOptions.Default, MonthlyEvaluationOptions.Default, StatusRules.DefaultLagTolerance).Calendar.Months();
        Assert.Equal("2024-02", months[0].ToString());
        Assert.Equal("2024-12", months[^1].ToString());
    }
}
