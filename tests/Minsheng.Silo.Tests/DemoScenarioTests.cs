using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Demo;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>The demo's year worked out as plain data: curves, profiles, reports and schedules, without a host.</summary>
public sealed class DemoScenarioTests
{
    private static readonly Plan Gongshu = PlanLoader.LoadDirectory(RepoPaths.Seeds).Single(p => p.Id == "gongshu-2024");
    private static readonly DateOnly Start = new(2024, 2, 28), Deadline = new(2024, 11, 30), Final = new(2024, 12, 31);

    private static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1)) yield return d;
    }

    /// <summary>The share of the linear default schedule due on a day (start 00:00 to deadline 23:59:59).</summary>
    private static double Linear(DateOnly day) => Math.Min(1, (double)(day.DayNumber - Start.DayNumber + 1) / (Deadline.DayNumber - Start.DayNumber + 1));

    [Theory]
    [InlineData(PaceProfile.Ahead, 1L, 0.0)]
    [InlineData(PaceProfile.Ahead, 2L, 0.99)]
    [InlineData(PaceProfile.OnTrack, 1L, 0.5)]
    [InlineData(PaceProfile.OnTrack, 14L, 0.99)]
    [InlineData(PaceProfile.OnTrack, 16000L, 0.3)]
    [InlineData(PaceProfile.Lagging, 1L, 0.5)]
    [InlineData(PaceProfile.Lagging, 400L, 0.1)]
    [InlineData(PaceProfile.Late, 2L, 0.7)]
    [InlineData(PaceProfile.Late, 6035L, 0.0)]
    public void A_curve_starts_at_zero_never_decreases_and_holds_the_target_from_its_finish(PaceProfile profile, long target, double draw)
    {
        var curve = ProgressCurve.For(profile, target, Start, Deadline, Final, draw);
        Assert.Equal(0, curve.CompletedOn(Start));
        var previous = 0L;
        foreach (var day in Days(Start, Final))
        {
            var now = curve.CompletedOn(day);
            Assert.True(now >= previous, $"{profile} {target}: {now} on {day} after {previous}");
            Assert.InRange(now, 0, target);
            previous = now;
        }
        Assert.Equal(target, curve.CompletedOn(curve.Finish));
        // Rounded down, a curve first reaches its target on its finish; rounded up (ahead, on track), by then.
        if (profile is PaceProfile.Lagging or PaceProfile.Late)
            Assert.True(curve.CompletedOn(curve.Finish.AddDays(-1)) < target, "the finish is the first day at the target");
    }

    [Theory]
    [InlineData(PaceProfile.Ahead)]
    [InlineData(PaceProfile.OnTrack)]
    public void Ahead_and_on_track_curves_stay_within_the_tolerance_of_the_linear_schedule_even_with_a_target_of_one(PaceProfile profile)
    {
        foreach (var target in new long[] { 1, 2, 3, 4, 10, 14, 400, 16000 })
        foreach (var draw in new[] { 0.0, 0.5, 0.99 })
        {
            var curve = ProgressCurve.For(profile, target, Start, Deadline, Final, draw);
            Assert.True(curve.Finish <= Deadline, $"{profile} finishes by the deadline");
            foreach (var day in Days(Start, Deadline))
            {
                var behind = target * Linear(day) - curve.CompletedOn(day);
                // 0.10 is the lag tolerance; the rest of it is room for a report a week or two old.
                Assert.True(behind <= 0.05 * target, $"{profile} target {target} draw {draw}: {behind:F2} behind on {day}");
            }
        }
    }

    [Fact]
    public void Lagging_curves_fall_behind_by_more_than_the_tolerance_and_still_finish_by_the_deadline_late_ones_in_december()
    {
        foreach (var target in new long[] { 1, 2, 14, 6035 })
        {
            var lagging = ProgressCurve.For(PaceProfile.Lagging, target, Start, Deadline, Final, 0.5);
            Assert.True(target * Linear(new DateOnly(2024, 6, 15)) - lagging.CompletedOn(new DateOnly(2024, 6, 15)) > 0.1 * target);
            Assert.InRange(lagging.Finish, Deadline.AddDays(-3), Deadline);

            var late = ProgressCurve.For(PaceProfile.Late, target, Start, Deadline, Final, 0.5);
            Assert.True(late.FinishesAfter(Deadline));
            Assert.InRange(late.Finish, new DateOnly(2024, 12, 1), Final.AddDays(-1));
            Assert.True(late.CompletedOn(Deadline) < target);
        }
    }

    [Fact]
    public void The_scenario_covers_every_assignment_of_the_catalog_each_reported_by_its_owner_up_to_its_target()
    {
        var scenario = DemoScenario.Build(Gongshu, new DemoOptions());
        var expected = Gongshu.Tasks.SelectMany(t => t.Assignments.Select(a => $"{t.Id}/{a.UnitId}/{a.MetricId}")).Order().ToList();
        Assert.Equal(expected, scenario.Assignments.Select(a => a.ToString()).Order().ToList());

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in scenario.Assignments)
        {
            var task = Gongshu.Tasks.Single(t => t.Id == a.TaskId);
            var street = Gongshu.Streets.SingleOrDefault(s => s.Id == a.UnitId);
            if (a.UnitId == PlanUnits.District)
            {
                Assert.Equal($"department:{task.LeadDepartment}", a.Owner.Role);
                Assert.Equal("演示-" + Gongshu.Departments.Single(d => d.Id == task.LeadDepartment).Name, a.Owner.Person);
            }
            else
            {
                Assert.Equal($"street:{a.UnitId}", a.Owner.Role);
                Assert.Equal("演示-" + street!.Name, a.Owner.Person);
            }

            Assert.NotEmpty(a.Reports);
            Assert.Equal(a.Curve.Target, a.Reports[^1].Completed);
            Assert.InRange(a.Reports[^1].Day, Start.AddDays(1), Final);
            var current = 0L;
            for (var i = 0; i < a.Reports.Count; i++)
            {
                var r = a.Reports[i];
                Assert.True(ids.Add(r.ReportId), $"{r.ReportId} is used twice");
                Assert.Null(ReportRules.IdRefusal("reportId", r.ReportId, ReportLimits.Default));
                if (r.Correction)
                {
                    // A correction follows an over-count of the same day and takes it back to the curve, with a reason.
                    Assert.True(i > 0 && a.Reports[i - 1].Day == r.Day && a.Reports[i - 1].Completed > r.Completed, $"{a}: correction {r.ReportId}");
                    Assert.False(string.IsNullOrWhiteSpace(r.Reason));
                }
                else
                {
                    Assert.True(r.Completed > current, $"{a}: {r.ReportId} reports {r.Completed} after {current}");
                }
                Assert.True(r.Completed < a.Curve.Target || i == a.Reports.Count - 1, $"{a}: only the last report reaches the target");
                current = r.Completed;
            }
        }
    }

    [Fact]
    public void The_scenario_mixes_profiles_has_a_few_misses_some_corrections_and_valid_schedules()
    {
        var scenario = DemoScenario.Build(Gongshu, new DemoOptions());
        var profiles = scenario.Assignments.GroupBy(a => a.Curve.Profile).ToDictionary(g => g.Key, g => g.Count());
        foreach (var profile in Enum.GetValues<PaceProfile>()) Assert.True(profiles.GetValueOrDefault(profile) > 0, $"no {profile}");
        var late = scenario.Assignments.Where(a => a.Curve.FinishesAfter(Deadline)).ToList();
        Assert.InRange(late.Count, 1, scenario.Assignments.Count / 5);
        Assert.All(late, a => Assert.Equal(12, a.Reports[^1].Day.Month));
        Assert.Contains(scenario.Assignments, a => a.Reports.Any(r => r.Correction));

        // Owners differ: some streets mostly ahead, some mostly lagging.
        var owners = scenario.Assignments.Select(a => a.Owner).DistinctBy(o => o.Role).ToList();
        Assert.Equal(Gongshu.Streets.Count + Gongshu.Tasks.Where(t => t.Assignments.Any(a => a.UnitId == PlanUnits.District)).Select(t => t.LeadDepartment).Distinct().Count(),
            owners.Count);
        Assert.True(owners.Select(o => o.Profile).Distinct().Count() >= 3);

        Assert.Equal(new DemoOptions().Schedules, scenario.Schedules.Count);
        var timeline = PlanTimeline.Of(Gongshu);
        foreach (var s in scenario.Schedules)
            Assert.Null(MilestoneRules.Check(timeline, s.Assignment.Curve.Target, s.Milestones.Select(m => new Milestone(m.Date, m.Completed)).ToList()));
    }

    [Fact]
    public void The_same_seed_plays_the_same_year_and_another_seed_another()
    {
        static string Fingerprint(DemoScenario s) => string.Join("\n", s.Assignments.SelectMany(a =>
            a.Reports.Select(r => $"{a} {a.Curve.Profile} {r.Day} {r.ReportId} {r.Completed} {r.Correction}")));
        var one = Fingerprint(DemoScenario.Build(Gongshu, new DemoOptions { Seed = 7 }));
        Assert.Equal(one, Fingerprint(DemoScenario.Build(Gongshu, new DemoOptions { Seed = 7 })));
        Assert.NotEqual(one, Fingerprint(DemoScenario.Build(Gongshu, new DemoOptions { Seed = 8 })));
    }

    [Fact]
    public void Everything_comes_from_the_catalog_so_any_plan_plays()
    {
        var plan = new Plan("test-2030", "测试计划", 2030, new DateOnly(2030, 1, 1),
            new DateTimeOffset(2030, 6, 30, 23, 59, 59, TimeSpan.FromHours(8)), new DateTimeOffset(2030, 7, 31, 23, 59, 59, TimeSpan.FromHours(8)),
            [new NamedUnit("east", "东街"), new NamedUnit("west", "西街")], [new NamedUnit("works", "区工务局")], [new NamedUnit("boss", "某领导")],
            [new Project("1", "项目", "概要", ["boss"], ["works"], [], ["1.1"])],
            [new PlanTask("1.1", "1", "修路", "works", [new Metric("main", "道路", "条", 7)],
                [new Assignment("district", "main", 3), new Assignment("east", "main", 2), new Assignment("west", "main", 2)])]);
        var scenario = DemoScenario.Build(plan, new DemoOptions { Schedules = 1 });
        Assert.Equal(3, scenario.Assignments.Count);
        Assert.Equal(["department:works", "street:east", "street:west"], scenario.Assignments.Select(a => a.Owner.Role).Order().ToArray());
        Assert.All(scenario.Assignments, a => Assert.InRange(a.Reports[^1].Day, new DateOnly(2030, 1, 2), new DateOnly(2030, 7, 31)));
        Assert.Equal(new DateOnly(2030, 6, 30), Assert.Single(scenario.Schedules).Milestones[^1].Date);
    }

    [Fact]
    public void The_demo_switch_becomes_a_setting_and_nothing_else_changes()
    {
        Assert.Equal(["--urls", "http://x:1", "--Minsheng:Demo:Enabled=true", "--Minsheng:Storage=Memory"],
            DemoSetup.RewriteArgs(["--urls", "http://x:1", "--demo", "--Minsheng:Storage=Memory"]));
        Assert.Empty(DemoSetup.RewriteArgs([]));
    }

    [Theory]
    [InlineData(new[] { "http://localhost:5080" }, "http://localhost:5080/")]
    [InlineData(new[] { "https://[::]:5443", "http://[::]:5080" }, "http://127.0.0.1:5080/")]
    [InlineData(new[] { "http://+:80" }, "http://127.0.0.1/")]
    [InlineData(new[] { "http://0.0.0.0:8080" }, "http://127.0.0.1:8080/")]
    [InlineData(new[] { "https://localhost:5443" }, "https://localhost:5443/")]
    [InlineData(new string[0], null)]
    public void The_demo_calls_the_host_at_its_own_listening_address(string[] addresses, string? expected) =>
        Assert.Equal(expected, DemoAddress.Pick(addresses)?.ToString());

    [Fact]
    public void Dice_depend_on_the_seed_and_the_keys_only()
    {
        var dice = new DemoDice(3);
        Assert.Equal(dice.Unit("a", "b"), new DemoDice(3).Unit("a", "b"));
        Assert.NotEqual(dice.Unit("a", "b"), dice.Unit("ab"));
        Assert.NotEqual(dice.Unit("a"), new DemoDice(4).Unit("a"));
        var draws = Enumerable.Range(0, 2000).Select(i => dice.Unit("n", i.ToString())).ToList();
        Assert.All(draws, d => Assert.InRange(d, 0.0, 0.9999999));
        Assert.InRange(draws.Average(), 0.45, 0.55);
        Assert.All(Enumerable.Range(0, 200), i => Assert.InRange(dice.Between(1, 5, i.ToString()), 1, 5));
    }
}
