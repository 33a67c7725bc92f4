using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// <c>GET .../forecasts</c> against numbers worked out by hand (issue 22, first step). On the simulated clock: 天水
/// reports 3.1 (target 8) as 2 on 03-01, 4 on 04-01 and 6 on 04-20; 上塘 reports 8.1 (target 1135) as 10 on 03-01 and
/// 20 on 04-20. Now is 2024-05-06 09:00, 68 days 9 hours after the start (02-28 00:00); the window starts 04-08 09:00.
/// </summary>
public sealed class ForecastsApiTests(ForecastsApiTests.Host host) : IClassFixture<ForecastsApiTests.Host>
{
    public sealed class Host : SiloHost
    {
        public Host() => With("Minsheng:Clock:Mode", "Simulated");
    }

    private const string Plan = "/api/v1/plans/gongshu-2024";

    private async Task At(string now) =>
        Assert.Equal(200, (await host.As("office").PostJson("/api/v1/admin/clock", new { now })).Status);

    private async Task Report(string role, string id, string task, string unit, long completed) =>
        Assert.Equal(201, (await host.As(role).PostJson($"{Plan}/reports", new { reportId = id, taskId = task, unitId = unit, completed })).Status);

    [Fact]
    public async Task Forecasts_follow_each_units_pace_and_list_what_is_at_risk()
    {
        await At("2024-03-01T09:00:00+08:00");
        await Report("street:tianshui", "f-1", "3.1", "tianshui", 2);
        await Report("street:shangtang", "f-2", "8.1", "shangtang", 10);
        await At("2024-04-01T09:00:00+08:00");
        await Report("street:tianshui", "f-3", "3.1", "tianshui", 4);
        await At("2024-04-20T09:00:00+08:00");
        await Report("street:tianshui", "f-4", "3.1", "tianshui", 6);
        await Report("street:shangtang", "f-5", "8.1", "shangtang", 20);
        await At("2024-05-06T09:00:00+08:00");

        var view = await host.As("viewer").GetOk($"{Plan}/forecasts");
        Assert.Equal("2024-05-06T09:00:00+08:00", view["asOf"].Str());
        var assignments = view["assignments"]!.AsArray();
        // 天水 3.1: 2 in the window (4 → 6), 2 to go → 28 days: 06-03 09:00. Overall 6 in 68.375 days → 2 in 22 d 19 h: 05-29 04:00.
        var tianshui = assignments.Single(a => a!["taskId"].Str() == "3.1" && a["unitId"].Str() == "tianshui")!["forecast"]!;
        Assert.Equal(("2024-06-03T09:00:00+08:00", "2024-05-29T04:00:00+08:00", "2024-06-03T09:00:00+08:00", false, "recentRate"),
            (tianshui["expectedDoneAt"].Str(), tianshui["earliest"].Str(), tianshui["latest"].Str(), tianshui["atRisk"]!.GetValue<bool>(), tianshui["method"].Str()));
        // 上塘 8.1: 10 in the window, 1,115 to go → 3,122 days: 2032-11-22 09:00 (at risk); overall 20 in 68.375 days → 2034-10-13 06:45.
        var shangtang = assignments.Single(a => a!["taskId"].Str() == "8.1" && a["unitId"].Str() == "shangtang")!["forecast"]!;
        Assert.Equal(("2032-11-22T09:00:00+08:00", "2034-10-13T06:45:00+08:00", true),
            (shangtang["expectedDoneAt"].Str(), shangtang["latest"].Str(), shangtang["atRisk"]!.GetValue<bool>()));
        // Nobody else reported: no forecast, and it says why.
        var silent = assignments.Single(a => a!["taskId"].Str() == "3.1" && a["unitId"].Str() == "wulin")!["forecast"]!;
        Assert.Equal(("none", false), (silent["method"].Str(), silent["atRisk"]!.GetValue<bool>()));
        Assert.Null(silent["expectedDoneAt"]);
        Assert.Contains("尚无上报", silent["reason"].Str());

        var atRisk = view["atRisk"]!.AsArray();
        Assert.Equal([("8.1", "shangtang")], atRisk.Select(a => (a!["taskId"].Str(), a["unitId"].Str())));
        // Task 3.1 is done when its last forecast assignment is: 天水's, with the 17 streets without data said.
        var task = view["tasks"]!.AsArray().Single(t => t!["id"].Str() == "3.1")!["forecast"]!;
        Assert.Equal(("2024-06-03T09:00:00+08:00", "lastOfParts"), (task["expectedDoneAt"].Str(), task["method"].Str()));
        Assert.Contains("17 项", task["reason"].Str());
        Assert.True(view["streets"]!.AsArray().Single(s => s!["id"].Str() == "shangtang")!["forecast"]!["atRisk"]!.GetValue<bool>());
        Assert.True(view["plan"]!["atRisk"]!.GetValue<bool>());
        Assert.True(view["departments"]!.AsArray().Single(d => d!["id"].Str() == "housing-construction")!["forecast"]!["atRisk"]!.GetValue<bool>());

        // As of an instant: the same view from what had been accepted by then. At 04-10 09:00 the window starts 03-13 09:00,
        // when 天水 had 2: 4 − 2 = 2 in 28 days, 4 to go → 56 days: 06-05 09:00.
        var earlier = await host.As("viewer").GetOk($"{Plan}/forecasts?asOf=2024-04-10T09:00:00%2B08:00");
        var then = earlier["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "3.1" && a["unitId"].Str() == "tianshui")!["forecast"]!;
        Assert.Equal("2024-06-05T09:00:00+08:00", then["expectedDoneAt"].Str());
        Assert.Equal(400, (await host.As("viewer").GetJson($"{Plan}/forecasts?asOf=yesterday")).Status);
    }
}

/// <summary>
/// The forecastLate alert on a simulated year: 上塘 reports 3.1 (target 14) as 2 on 03-04, 4 on 04-01 and 5 on 05-06,
/// then stalls. The linear schedule (tolerance 1.4) finds it lagging only from early July, so its lagging case opens at
/// the fourth Monday in a row, 07-29 09:00; its pace flags it at the Monday check of 05-06 09:00 (nothing since the 4 of
/// 04-01 in the window from 04-08), twelve weeks earlier, and keeps flagging it.
/// </summary>
public sealed class ForecastAlertTests(ForecastsApiTests.Host host) : IClassFixture<ForecastsApiTests.Host>
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    private async Task At(string now) =>
        Assert.Equal(200, (await host.As("office").PostJson("/api/v1/admin/clock", new { now })).Status);

    private async Task Report(string id, long completed) =>
        Assert.Equal(201, (await host.As("street:shangtang").PostJson($"{Plan}/reports", new { reportId = id, taskId = "3.1", unitId = "shangtang", completed })).Status);

    [Fact]
    public async Task The_pace_flags_shangtangs_lag_weeks_before_its_case_opens()
    {
        await At("2024-03-04T10:00:00+08:00");
        await Report("fa-1", 2);
        await At("2024-04-01T10:00:00+08:00");
        await Report("fa-2", 4);
        await At("2024-04-29T10:00:00+08:00");
        // 04-29 09:00: 2 → 4 in the window from 04-01 09:00, 10 to go → 140 days: 09-16, in time.
        Assert.DoesNotContain((await host.As("viewer").GetOk($"{Plan}/alerts")).AsArray(),
            a => a!["taskId"].Str() == "3.1" && a["unitId"].Str() == "shangtang");
        await At("2024-05-06T10:00:00+08:00");
        await Report("fa-3", 5);
        await At("2024-07-29T10:00:00+08:00");

        var alerts = (await host.As("viewer").GetOk($"{Plan}/alerts?unitId=shangtang")).AsArray()
            .Where(a => a!["taskId"].Str() == "3.1").ToList();
        var warning = alerts.Single(a => a!["kind"].Str() == "forecastLate")!;
        Assert.Equal("2024-05-06T09:00:00+08:00", warning["since"].Str());
        var lagging = alerts.Single(a => a!["kind"].Str() == "lagging")!;
        var opened = (await host.As("viewer").GetOk($"{Plan}/cases?taskId=3.1&unitId=shangtang")).AsArray().Single()!;
        Assert.Equal(("lagging", "2024-07-29T09:00:00+08:00"), (opened["kind"].Str(), opened["openedAt"].Str()));
        var weeksEarlier = (DateTimeOffset.Parse(opened["openedAt"].Str()) - DateTimeOffset.Parse(warning["since"].Str())).TotalDays / 7;
        Assert.Equal(12, weeksEarlier);
        Assert.True(DateTimeOffset.Parse(lagging["since"].Str()) > DateTimeOffset.Parse(warning["since"].Str()).AddDays(50));

        var forecast = (await host.As("viewer").GetOk($"{Plan}/forecasts"))["atRisk"]!.AsArray();
        Assert.Contains(forecast, a => a!["taskId"].Str() == "3.1" && a["unitId"].Str() == "shangtang");
    }
}
