using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;
using static Minsheng.Silo.Tests.ForecastViewHistory;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The rollup views carry forecasts (issue 22): the same history as <see cref="ForecastsApiTests"/> (天水 3.1, target 8:
/// 2 on 03-01, 4 on 04-01, 6 on 04-20; 上塘 8.1, target 1135: 10 on 03-01, 20 on 04-20; now 2024-05-06 09:00), read
/// through the plan rollup and the street, department, leader and project views: each forecast is the one worked out
/// by hand there, and the one <c>GET .../forecasts</c> gives for the same part.
/// </summary>
public sealed class ForecastViewsTests(ForecastsApiTests.Host host) : IClassFixture<ForecastsApiTests.Host>
{
    [Fact]
    public async Task Every_view_carries_the_forecasts_worked_by_hand_and_agrees_with_forecasts()
    {
        await ForecastViewHistory.Write(host);
        var viewer = host.As("viewer");
        var forecasts = await viewer.GetOk($"{Plan}/forecasts");
        var tianshui31 = ("2024-06-03T09:00:00+08:00", "2024-05-29T04:00:00+08:00", "2024-06-03T09:00:00+08:00", false, "recentRate");
        var shangtang81 = ("2032-11-22T09:00:00+08:00", "2032-11-22T09:00:00+08:00", "2034-10-13T06:45:00+08:00", true, "recentRate");

        // The plan: at risk (8.1 is); each project and task as /forecasts has it; task 3.1 and its one metric are done
        // when 天水 is (the 17 silent streets said), 8.1 when 上塘 is (3 without data).
        var rollup = await viewer.GetOk($"{Plan}/rollup");
        Same(forecasts["plan"], rollup["forecast"]);
        Assert.True(rollup["forecast"]!["atRisk"]!.GetValue<bool>());
        foreach (var project in rollup["projects"]!.AsArray())
        {
            Same(Part(forecasts, "projects", project!["id"].Str()), project["forecast"]);
            foreach (var task in project["tasks"]!.AsArray()) Same(Part(forecasts, "tasks", task!["id"].Str()), task["forecast"]);
        }
        var task31 = rollup["projects"]!.AsArray().SelectMany(p => p!["tasks"]!.AsArray()).Single(t => t!["id"].Str() == "3.1")!;
        Assert.Equal(tianshui31 with { Item5 = "lastOfParts" }, Numbers(task31["forecast"]));
        Assert.Contains("17 项", task31["forecast"]!["reason"].Str());
        Same(task31["forecast"], task31["metrics"]![0]!["forecast"]);
        var task81 = rollup["projects"]!.AsArray().SelectMany(p => p!["tasks"]!.AsArray()).Single(t => t!["id"].Str() == "8.1")!;
        Assert.Equal(shangtang81 with { Item5 = "lastOfParts" }, Numbers(task81["metrics"]![0]!["forecast"]));
        Assert.Contains("3 项", task81["forecast"]!["reason"].Str());

        // 天水's street: the last of its 9 assignments with data, so 3.1's, the other 8 said; each line its own forecast.
        var street = await viewer.GetOk($"{Plan}/streets/tianshui");
        Same(Part(forecasts, "streets", "tianshui"), street["forecast"]);
        Assert.Equal(tianshui31 with { Item5 = "lastOfParts" }, Numbers(street["forecast"]));
        Assert.Contains("8 项", street["forecast"]!["reason"].Str());
        Assert.Equal(tianshui31, Numbers(Line(street, "3.1", "tianshui")["forecast"]));
        foreach (var line in street["assignments"]!.AsArray())
            Same(Assignment(forecasts, line!["taskId"].Str(), "tianshui"), line["forecast"]);

        // Project 3 (3.1 and the silent 3.2): 3.1's forecast; project 8 (8.1 and the silent 8.2): 上塘's, at risk.
        var project3 = await viewer.GetOk($"{Plan}/projects/3");
        Same(Part(forecasts, "projects", "3"), project3["forecast"]);
        Assert.Equal(tianshui31 with { Item5 = "lastOfParts" }, Numbers(project3["forecast"]));
        Assert.Contains("1 项", project3["forecast"]!["reason"].Str());
        Assert.Equal(tianshui31, Numbers(Line(project3, "3.1", "tianshui")["forecast"]));
        foreach (var task in project3["tasks"]!.AsArray()) Same(Part(forecasts, "tasks", task!["id"].Str()), task["forecast"]);

        // 许 leads projects 8, 9 and 10: the last of them, so project 8's, the other two said.
        var leader = await viewer.GetOk($"{Plan}/leaders/xu-leiting");
        Assert.Equal(shangtang81 with { Item5 = "lastOfParts" }, Numbers(leader["forecast"]));
        Assert.Contains("2 项", leader["forecast"]!["reason"].Str());
        foreach (var project in leader["projects"]!.AsArray()) Same(Part(forecasts, "projects", project!["id"].Str()), project["forecast"]);
        Assert.Equal(shangtang81, Numbers(Line(leader, "8.1", "shangtang")["forecast"]));

        // 住建 leads 8.1, 8.2, 9.1 and 10.1: at risk, as /forecasts says; its tasks and lines too.
        var department = await viewer.GetOk($"{Plan}/departments/housing-construction");
        Same(Part(forecasts, "departments", "housing-construction"), department["forecast"]);
        Assert.Equal(shangtang81 with { Item5 = "lastOfParts" }, Numbers(department["forecast"]));
        foreach (var task in department["tasks"]!.AsArray()) Same(Part(forecasts, "tasks", task!["id"].Str()), task["forecast"]);
        foreach (var line in department["assignments"]!.AsArray())
            Same(Assignment(forecasts, line!["taskId"].Str(), line["unitId"].Str()), line["forecast"]);
    }

}

/// <summary>The same history on a silo of its own: a unit without data, <c>?asOf=</c> and <c>?after=</c>.</summary>
public sealed class ForecastViewsAsOfTests(ForecastsApiTests.Host host) : IClassFixture<ForecastsApiTests.Host>
{
    [Fact]
    public async Task A_unit_without_data_shows_method_none_with_its_reason_and_asOf_gives_the_forecast_then()
    {
        await ForecastViewHistory.Write(host);
        var viewer = host.As("viewer");

        // 武林 never reported: no forecast for the street or any line, and they say why.
        var wulin = await viewer.GetOk($"{Plan}/streets/wulin");
        Assert.Equal((null, null, null, false, "none"), Numbers(wulin["forecast"]));
        Assert.Contains("数据均不足", wulin["forecast"]!["reason"].Str());
        Assert.All(wulin["assignments"]!.AsArray(), line =>
        {
            Assert.Equal((null, null, null, false, "none"), Numbers(line!["forecast"]));
            Assert.Contains("尚无上报", line["forecast"]!["reason"].Str());
        });

        // As of 04-10 09:00 the window starts 03-13 09:00, when 天水 had 2: 4 − 2 = 2 in 28 days, 4 to go → 56 days:
        // 06-05 09:00; overall 4 in 42 d 9 h → 4 to go in 42 d 9 h: 05-22 18:00. The views agree with /forecasts then.
        const string then = "asOf=2024-04-10T09:00:00%2B08:00";
        var street = await viewer.GetOk($"{Plan}/streets/tianshui?{then}");
        Assert.Equal(("2024-06-05T09:00:00+08:00", "2024-05-22T18:00:00+08:00", "2024-06-05T09:00:00+08:00", false, "recentRate"),
            Numbers(Line(street, "3.1", "tianshui")["forecast"]));
        var forecastsThen = await viewer.GetOk($"{Plan}/forecasts?{then}");
        Same(Part(forecastsThen, "streets", "tianshui"), street["forecast"]);
        Same(forecastsThen["plan"], (await viewer.GetOk($"{Plan}/rollup?{then}"))["forecast"]);
        Same(Part(forecastsThen, "projects", "3"), (await viewer.GetOk($"{Plan}/projects/3?{then}"))["forecast"]);

        // A view asked to include a new report (?after=) carries the forecast that includes it: 天水 done on 05-06.
        var position = await Report(host, "street:tianshui", "fv-6", "3.1", "tianshui", 8);
        var after = await viewer.GetOk($"{Plan}/projects/3?after={position}");
        Assert.Equal(("2024-05-06T09:00:00+08:00", "2024-05-06T09:00:00+08:00", "2024-05-06T09:00:00+08:00", false, "done"),
            Numbers(Line(after, "3.1", "tianshui")["forecast"]));
        Same(Assignment(await viewer.GetOk($"{Plan}/forecasts"), "3.1", "tianshui"), Line(after, "3.1", "tianshui")["forecast"]);
    }
}

/// <summary>The history both classes write, and how they read forecasts out of the answers.</summary>
internal static class ForecastViewHistory
{
    public const string Plan = "/api/v1/plans/gongshu-2024";

    public static async Task Write(SiloHost host)
    {
        await At(host, "2024-03-01T09:00:00+08:00");
        await Report(host, "street:tianshui", "fv-1", "3.1", "tianshui", 2);
        await Report(host, "street:shangtang", "fv-2", "8.1", "shangtang", 10);
        await At(host, "2024-04-01T09:00:00+08:00");
        await Report(host, "street:tianshui", "fv-3", "3.1", "tianshui", 4);
        await At(host, "2024-04-20T09:00:00+08:00");
        await Report(host, "street:tianshui", "fv-4", "3.1", "tianshui", 6);
        await Report(host, "street:shangtang", "fv-5", "8.1", "shangtang", 20);
        await At(host, "2024-05-06T09:00:00+08:00");
    }

    public static async Task<long> Report(SiloHost host, string role, string id, string task, string unit, long completed)
    {
        var (status, body) = await host.As(role).PostJson($"{Plan}/reports", new { reportId = id, taskId = task, unitId = unit, completed });
        Assert.Equal(201, status);
        return body!["position"]!.GetValue<long>();
    }

    private static async Task At(SiloHost host, string now) =>
        Assert.Equal(200, (await host.As("office").PostJson("/api/v1/admin/clock", new { now })).Status);

    /// <summary>A forecast's numbers: expected, earliest, latest, at risk, method.</summary>
    public static (string?, string?, string?, bool, string) Numbers(JsonNode? forecast) => (
        forecast!["expectedDoneAt"]?.GetValue<string>(), forecast["earliest"]?.GetValue<string>(), forecast["latest"]?.GetValue<string>(),
        forecast["atRisk"]!.GetValue<bool>(), forecast["method"].Str());

    public static JsonNode Line(JsonNode view, string task, string unit) =>
        view["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == task && a["unitId"].Str() == unit)!;

    /// <summary>The forecast /forecasts gives a project, task, street or department.</summary>
    public static JsonNode Part(JsonNode forecasts, string kind, string id) =>
        forecasts[kind]!.AsArray().Single(p => p!["id"].Str() == id)!["forecast"]!;

    /// <summary>The forecast /forecasts gives an assignment (its one metric).</summary>
    public static JsonNode Assignment(JsonNode forecasts, string task, string unit) => Line(forecasts, task, unit)["forecast"]!;

    public static void Same(JsonNode? expected, JsonNode? actual) => Assert.Equal(expected.Canonical(), actual.Canonical());
}
