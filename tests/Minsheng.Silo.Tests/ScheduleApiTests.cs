using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>Schedules (倒排计划): who may set them, how they are validated, and how they change statuses.</summary>
public sealed class ScheduleApiTests(ScheduleApiTests.Host host) : IClassFixture<ScheduleApiTests.Host>
{
    public sealed class Host : SiloHost
    {
        public Host() => With("Minsheng:Clock:Mode", "Simulated");
    }

    private const string Plan = "/api/v1/plans/gongshu-2024";

    private static string Schedule(string taskId, string unitId) => $"{Plan}/assignments/{taskId}/{unitId}/schedule";

    [Fact]
    public async Task Without_a_schedule_the_default_is_linear_and_says_so()
    {
        var street = await host.As("viewer").GetOk($"{Plan}/streets/wulin");
        Assert.All(street["assignments"]!.AsArray(), a => Assert.Equal("default", a!["scheduleSource"].Str()));
    }

    [Fact]
    public async Task Owner_sets_a_schedule_and_status_follows_its_milestones()
    {
        // 4.2 hushu: 75 户. Nothing by the end of June, 40 by the end of July, all by the end of October.
        var (status, body) = await host.As("street:hushu").PutJson(Schedule("4.2", "hushu"), new
        {
            milestones = new[] { new { date = "2024-06-30", completed = 0L }, new { date = "2024-07-31", completed = 40L }, new { date = "2024-10-31", completed = 75L } },
        });
        Assert.True(status == 200, body.Canonical());
        Assert.Equal("custom", body!["scheduleSource"].Str());

        var office = host.As("office");
        var row = (await office.GetOk($"{Plan}/streets/hushu"))["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "4.2")!;
        Assert.Equal("custom", row["scheduleSource"].Str());
        // At the clock's start (2024-02-28 09:00) nothing is due: on track, where the linear default would agree.
        Assert.Equal("onTrack", row["status"].Str());

        // 2024-07-01: the June milestone (0) is due, nothing lags although the linear default would expect ~36 of 75.
        Assert.Equal(200, (await office.PostJson("/api/v1/admin/clock", new { now = "2024-07-01T10:00:00+08:00" })).Status);
        row = (await office.GetOk($"{Plan}/streets/hushu"))["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "4.2")!;
        Assert.Equal("onTrack", row["status"].Str());
        var linear = (await office.GetOk($"{Plan}/streets/hushu"))["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "9.1")!;
        Assert.Equal("lagging", linear["status"].Str());

        // 2024-08-01: 40 were due by the end of July; 32 is 8 behind, more than 0.10 * 75 = 7.5: lagging.
        Assert.Equal(201, (await host.As("street:hushu").PostJson($"{Plan}/reports", new { reportId = "h-1", taskId = "4.2", unitId = "hushu", completed = 32 })).Status);
        Assert.Equal(200, (await office.PostJson("/api/v1/admin/clock", new { now = "2024-08-01T10:00:00+08:00" })).Status);
        row = (await office.GetOk($"{Plan}/streets/hushu"))["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "4.2")!;
        Assert.Equal("lagging", row["status"].Str());
        Assert.Equal(201, (await host.As("street:hushu").PostJson($"{Plan}/reports", new { reportId = "h-2", taskId = "4.2", unitId = "hushu", completed = 33 })).Status);
        row = (await office.GetOk($"{Plan}/streets/hushu"))["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "4.2")!;
        Assert.Equal("onTrack", row["status"].Str()); // 7 behind <= 7.5
    }

    [Fact]
    public async Task The_lead_department_may_schedule_a_street_assignment_of_its_task()
    {
        // 4.2 is led by civil-affairs.
        var ok = await host.As("department:civil-affairs").PutJson(Schedule("4.2", "wenhui"), new { milestones = new[] { new { date = "2024-09-30", completed = 34L } } });
        Assert.Equal(200, ok.Status);
        var denied = await host.As("department:health").PutJson(Schedule("4.2", "wenhui"), new { milestones = new[] { new { date = "2024-09-30", completed = 34L } } });
        Assert.Equal(403, denied.Status);
        var otherStreet = await host.As("street:hushu").PutJson(Schedule("4.2", "wenhui"), new { milestones = new[] { new { date = "2024-09-30", completed = 34L } } });
        Assert.Equal(403, otherStreet.Status);
    }

    [Theory]
    [InlineData("2024-02-27", 5L, "milestones[0].date")]    // before the plan starts
    [InlineData("2024-12-01", 5L, "milestones[0].date")]    // after the deadline
    [InlineData("2024-10-01", 4L, "milestones[0].completed")] // last is not the target (5)
    public async Task Bad_milestones_are_refused_naming_the_field(string date, long completed, string field)
    {
        var before = (await host.As("office").GetOk($"{Plan}/streets/dongxin")).Canonical();
        var (status, body) = await host.As("street:dongxin").PutJson(Schedule("10.1", "dongxin"), new { milestones = new[] { new { date, completed } } });
        Assert.Equal(400, status);
        Assert.Equal(field, body!["field"].Str());
        Assert.Equal(before, (await host.As("office").GetOk($"{Plan}/streets/dongxin")).Canonical());
    }

    [Fact]
    public async Task Decreasing_counts_are_refused()
    {
        var (status, body) = await host.As("street:dongxin").PutJson(Schedule("10.1", "dongxin"), new
        {
            milestones = new[] { new { date = "2024-05-01", completed = 3L }, new { date = "2024-06-01", completed = 2L }, new { date = "2024-07-01", completed = 5L } },
        });
        Assert.Equal(400, status);
        Assert.Equal("milestones[1].completed", body!["field"].Str());
    }
}
