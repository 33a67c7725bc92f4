using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using static Minsheng.Domain.Tests.Reviews.SmallReviewPlan;

namespace Minsheng.Domain.Tests.Reviews;

/// <summary>
/// The weekly ranking of 2024-W02 (published Monday 2024-01-08 09:00) on <see cref="SmallReviewPlan"/>, worked by hand.
/// Every street schedule is due its "byJan7" count by the end of 2024-01-07, so 序时进度 is exact at the Monday.
/// </summary>
public sealed class WeeklyRankingBuilderTests
{
    private static readonly IsoWeek W02 = new(2024, 2);

    // street: completed, due by Jan 7, last report             ratio  序时   gap   light
    // a:      8,         9,          Jan 5 (in the window)       0.8   0.9   10    yellow (10 is yellow's lower bound)
    // b:      5,         5,          Jan 1 08:00 (before it)     0.5   0.5    0    green
    // c:      5,         8,          Jan 8 09:00 (its last sec.) 0.5   0.8   30    yellow (30 is yellow's upper bound)
    // d:      2,         6,          never                       0.2   0.6   40    red
    // district 1.1 (p): 10 of 10, due 10, reported Jan 2: done. District 2.1 (q): nothing, default linear schedule.
    private static readonly Dictionary<AssignmentKey, ProgressFact> Facts = new()
    {
        [Key("1.1", "a")] = Fact(8, At(1, 5), 9),
        [Key("1.1", "b")] = Fact(5, At(1, 1, 8), 5),
        [Key("1.1", "c")] = Fact(5, At(1, 8, 9), 8),
        [Key("1.1", "d")] = Fact(2, null, 6),
        [Key("1.1", "district")] = Fact(10, At(1, 2), 10),
    };

    private static WeeklyRanking Build(WeeklyRanking? previous = null) =>
        new WeeklyRankingBuilder(Small, ReviewOptions.Default, StatusRules.DefaultLagTolerance).Build(W02, Facts, previous);

    [Fact]
    public void Equal_ratios_share_a_rank_and_are_listed_by_id()
    {
        var ranking = Build();
        Assert.Equal("2024-W02", ranking.Week);
        Assert.Equal(At(1, 8, 9), ranking.PublishedAt);
        Assert.Equal(["a", "b", "c", "d"], ranking.Streets.Select(s => s.Id));
        Assert.Equal([1, 2, 2, 4], ranking.Streets.Select(s => s.Rank));
        Assert.Equal([0.8m, 0.5m, 0.5m, 0.2m], ranking.Streets.Select(s => s.Ratio));
        Assert.All(ranking.Streets, s => Assert.Null(s.RankChange));
    }

    [Fact]
    public void Rows_carry_序时进度_the_gap_in_points_and_a_light_at_the_thresholds()
    {
        var streets = Build().Streets;
        Assert.Equal([0.9m, 0.5m, 0.8m, 0.6m], streets.Select(s => s.Expected));
        Assert.Equal([10m, 0m, 30m, 40m], streets.Select(s => s.GapPoints));
        Assert.Equal([Light.Yellow, Light.Green, Light.Yellow, Light.Red], streets.Select(s => s.Light));
    }

    [Fact]
    public void Lights_just_inside_each_band()
    {
        var options = ReviewOptions.Default;
        Assert.Equal(Light.Green, Lights.Of(new Fraction(99999, 10000), options));   // 9.9999 points behind
        Assert.Equal(Light.Green, Lights.Of(new Fraction(-5, 1), options));          // ahead of schedule
        Assert.Equal(Light.Red, Lights.Of(new Fraction(300001, 10000), options));    // 30.0001
        var strict = options with { YellowFromPoints = 5m, RedAbovePoints = 20m };
        Assert.Equal(Light.Yellow, Lights.Of(new Fraction(5, 1), strict));
        Assert.Equal(Light.Red, Lights.Of(new Fraction(21, 1), strict));
    }

    [Fact]
    public void Departments_rank_by_the_ratio_of_the_tasks_they_lead()
    {
        var departments = Build().Departments;
        // "idle" leads nothing and is not ranked. p: 1.1 = (10 + 8 + 5 + 5 + 2) / 50 = 0.6, due (10 + 9 + 5 + 8 + 6) / 50 = 0.76.
        // q: 2.1 = 0, due linearly 4 × (7 d 9 h) / (31 d − 1 s) / 4 = 637200 / 2678399 = 0.237903.
        Assert.Equal(["p", "q"], departments.Select(d => d.Id));
        Assert.Equal([1, 2], departments.Select(d => d.Rank));
        Assert.Equal([0.6m, 0m], departments.Select(d => d.Ratio));
        Assert.Equal([0.76m, 0.237903m], departments.Select(d => d.Expected));
        Assert.Equal([16m, 23.7903m], departments.Select(d => d.GapPoints));
        Assert.All(departments, d => Assert.Equal(Light.Yellow, d.Light));
    }

    [Fact]
    public void Rank_change_is_last_weeks_rank_minus_this_weeks()
    {
        var previous = Build() with
        {
            Week = "2024-W01",
            Streets = [Row("b", 1), Row("a", 2), Row("d", 3), Row("c", 4)],
        };
        var streets = Build(previous).Streets;
        Assert.Equal<int?>([1, -1, 2, -1], streets.Select(s => s.RankChange)); // a 2→1, b 1→2, c 4→2, d 3→4
        var departments = Build(previous with { Departments = [Row("q", 1)] }).Departments;
        Assert.Equal<int?>([null, -1], departments.Select(d => d.RankChange)); // p was not ranked last week

        static RankedUnit Row(string id, int rank) => new(id, id, 0m, 0m, 0m, Light.Green, rank, null);
    }

    [Fact]
    public void Two_weeks_in_a_row_give_rank_changes()
    {
        // W01 (Jan 1 09:00): a 0, b 3, c 1, d 2 -> b 1, d 2, c 3, a 4. W02 as above: a 1, b 2, c 2, d 4.
        var builder = new WeeklyRankingBuilder(Small, ReviewOptions.Default, StatusRules.DefaultLagTolerance);
        var first = builder.Build(new IsoWeek(2024, 1), new Dictionary<AssignmentKey, ProgressFact>
        {
            [Key("1.1", "b")] = Fact(3, At(1, 1, 8), 5),
            [Key("1.1", "c")] = Fact(1, At(1, 1, 8), 8),
            [Key("1.1", "d")] = Fact(2, At(1, 1, 8), 6),
        }, null);
        Assert.Equal(["b", "d", "c", "a"], first.Streets.Select(s => s.Id));
        Assert.Equal([1, 2, 3, 4], first.Streets.Select(s => s.Rank));

        var second = builder.Build(W02, Facts, first);
        Assert.Equal<int?>([3, -1, 1, -2], second.Streets.Select(s => s.RankChange)); // a 4→1, b 1→2, c 3→2, d 2→4
    }

    [Fact]
    public void A_ranking_survives_a_json_round_trip_unchanged()
    {
        var ranking = Build();
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var json = System.Text.Json.JsonSerializer.Serialize(ranking, options);
        Assert.Contains("\"gapPoints\":10", json);
        var back = System.Text.Json.JsonSerializer.Deserialize<WeeklyRanking>(json, options)!;
        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(back, options));
        Assert.Equal(ranking.Streets, back.Streets);
    }

    [Fact]
    public void Silent_units_left_unfinished_work_without_a_report_in_the_week()
    {
        // Window (Jan 1 09:00, Jan 8 09:00]: a (Jan 5) and c (Jan 8 09:00) reported; b's last report was before it;
        // d never reported; the district 1.1 is done (p owes nothing); 2.1's district (q) never reported.
        var silent = Build().Silent;
        Assert.Equal(["b", "d", "q"], silent.Select(s => s.UnitId));
        Assert.All(silent.Take(2), s => Assert.Equal(["1.1"], s.TaskIds));
        Assert.Equal(["2.1"], silent[2].TaskIds);
    }

    [Fact]
    public void Lagging_is_ordered_by_how_far_behind_and_overdue_appears_after_the_deadline()
    {
        var ranking = Build();
        // Behind by more than 0.1 of the target: d (6 − 2) / 10 = 0.4, c 0.3, 2.1 district 0.2379; a is behind by
        // exactly 0.1 (not more) and stays on track.
        Assert.Equal([("1.1", "d"), ("1.1", "c"), ("2.1", "district")], ranking.Lagging.Select(v => (v.TaskId, v.UnitId)));
        Assert.Empty(ranking.Overdue);

        var after = new WeeklyRankingBuilder(Small, ReviewOptions.Default, StatusRules.DefaultLagTolerance).Build(new IsoWeek(2024, 6), Facts, ranking);
        Assert.Equal(At(2, 5, 9), after.PublishedAt);
        Assert.Empty(after.Lagging);
        // Least done first: 2.1 district 0, d 0.2, then b and c at 0.5 in plan order, then a 0.8.
        Assert.Equal(["district", "d", "b", "c", "a"], after.Overdue.Select(v => v.UnitId));
    }

    [Fact]
    public void Weeks_outside_the_plan_have_no_ranking()
    {
        var builder = new WeeklyRankingBuilder(Small, ReviewOptions.Default, StatusRules.DefaultLagTolerance);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Build(new IsoWeek(2023, 52), Facts, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Build(new IsoWeek(2024, 10), Facts, null)); // Mar 4 > Feb 29
        Assert.Equal("2024-W01", builder.Calendar.Weeks()[0].ToString());  // Monday Jan 1 09:00, after the start at 00:00
        Assert.Equal("2024-W09", builder.Calendar.Weeks()[^1].ToString()); // Monday Feb 26
    }
}
