using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Exports.Tests;
using Minsheng.Grains;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The reviews over several simulated weeks, worked out by hand: on gongshu-2024 the first weekly ranking is Monday
/// 2024-03-04 09:00 (2024-W10). Streets that completed every assignment have ratio 1; all others 0.
/// </summary>
public sealed class ReviewsApiTests
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    private static async Task Move(HttpClient office, string now) =>
        Assert.Equal(200, (await office.PostJson("/api/v1/admin/clock", new { now })).Status);

    /// <summary>Reports every assignment of a street complete.</summary>
    private static async Task Complete(SiloHost host, JsonNode plan, string street, string tag)
    {
        var client = host.As($"street:{street}");
        foreach (var task in plan["tasks"]!.AsArray())
            foreach (var a in task!["assignments"]!.AsArray().Where(a => a!["unitId"].Str() == street))
            {
                var (status, body) = await client.PostJson($"{Plan}/reports", new
                {
                    reportId = $"{tag}-{task["id"].Str()}-{street}-{a!["metricId"].Str()}", taskId = task["id"].Str(), unitId = street,
                    metricId = a["metricId"].Str(), completed = a["target"]!.GetValue<long>(),
                });
                Assert.True(status == 201, $"{status} {body}");
            }
    }

    private static (int Rank, int? Change, decimal Ratio) Row(JsonNode ranking, string street)
    {
        var row = ranking["streets"]!.AsArray().Single(s => s!["id"].Str() == street)!;
        return (row["rank"]!.GetValue<int>(), row["rankChange"]?.GetValue<int?>(), row["ratio"].Dec());
    }

    [Fact]
    public async Task Weekly_rankings_share_ranks_track_changes_ignore_late_reports_and_never_change()
    {
        await using var host = new SiloHost().With("Minsheng:Clock:Mode", "Simulated");
        var office = host.As("office");
        var plan = await office.GetOk(Plan);
        Assert.Equal(404, (await office.GetJson($"{Plan}/rankings/weekly")).Status);

        // Week 10: 武林 and 湖墅 completed everything; the other 16 streets share rank 3.
        await Move(office, "2024-03-01T10:00:00+08:00");
        await Complete(host, plan, "wulin", "w10");
        await Complete(host, plan, "hushu", "w10");
        await Move(office, "2024-03-04T09:00:00+08:00");
        var w10 = await office.GetOk($"{Plan}/rankings/weekly/2024-W10");
        Assert.Equal("2024-W10", w10["week"].Str());
        Assert.Equal(DateTimeOffset.Parse("2024-03-04T09:00:00+08:00"), DateTimeOffset.Parse(w10["publishedAt"].Str()));
        Assert.Equal((1, null, 1m), Row(w10, "hushu"));
        Assert.Equal((1, null, 1m), Row(w10, "wulin"));
        Assert.Equal((3, null, 0m), Row(w10, "daguan"));
        Assert.Equal(["hushu", "wulin", "banshan"], w10["streets"]!.AsArray().Take(3).Select(s => s!["id"].Str()));
        Assert.Equal(w10.Canonical(), (await office.GetOk($"{Plan}/rankings/weekly")).Canonical());

        // Week 11: 大关 completes before Monday; 上塘 completes at 09:30 on Monday, after the moment but before any check
        // ran: it does not count for that Monday.
        await Move(office, "2024-03-08T10:00:00+08:00");
        await Complete(host, plan, "daguan", "w11");
        await Move(office, "2024-03-11T08:59:00+08:00");
        host.Services.GetRequiredService<BusinessClock>().MoveTo(DateTimeOffset.Parse("2024-03-11T09:30:00+08:00"));
        await Complete(host, plan, "shangtang", "late");
        await Move(office, "2024-03-11T09:31:00+08:00");
        var w11 = await office.GetOk($"{Plan}/rankings/weekly/2024-W11");
        Assert.Equal((1, 2, 1m), Row(w11, "daguan"));      // from 3 to 1
        Assert.Equal((1, 0, 1m), Row(w11, "hushu"));
        Assert.Equal((1, 0, 1m), Row(w11, "wulin"));
        Assert.Equal((4, -1, 0m), Row(w11, "shangtang"));  // its 09:30 reports do not count for 09:00
        Assert.Equal(["daguan", "hushu", "wulin", "banshan"], w11["streets"]!.AsArray().Take(4).Select(s => s!["id"].Str()));

        // Published weeks never change: not after later reports, not on a second read.
        Assert.Equal(w10.Canonical(), (await office.GetOk($"{Plan}/rankings/weekly/2024-W10")).Canonical());
        await Move(office, "2024-03-18T09:00:00+08:00");
        Assert.Equal((1, 3, 1m), Row(await office.GetOk($"{Plan}/rankings/weekly/2024-W12"), "shangtang"));
        Assert.Equal(w11.Canonical(), (await office.GetOk($"{Plan}/rankings/weekly/2024-W11")).Canonical());

        // Weeks without a ranking, and weeks not yet published.
        var before = await office.GetJson($"{Plan}/rankings/weekly/2024-W05");
        Assert.Equal(404, before.Status);
        Assert.Equal("isoWeek", before.Body!["field"].Str());
        Assert.Equal(404, (await office.GetJson($"{Plan}/rankings/weekly/2025-W10")).Status);
        Assert.Equal(404, (await office.GetJson($"{Plan}/rankings/weekly/2024-W40")).Status);
        Assert.Equal(400, (await office.GetJson($"{Plan}/rankings/weekly/W40")).Status);
    }

    [Fact]
    public async Task The_review_index_says_what_is_published_and_what_comes_next_without_a_404_before_the_first()
    {
        await using var host = new SiloHost().With("Minsheng:Clock:Mode", "Simulated");
        var office = host.As("office");
        var viewer = host.As("viewer");

        // Before the first Monday: empty lists and the first week due, where .../rankings/weekly answers its documented 404.
        var (status, fresh) = await viewer.GetJson($"{Plan}/reviews");
        Assert.Equal(200, status);
        Assert.Equal("gongshu-2024", fresh!["planId"].Str());
        Assert.Null(fresh["latestWeek"]);
        Assert.Empty(fresh["weekly"]!.AsArray());
        Assert.Empty(fresh["monthly"]!.AsArray());
        Assert.Null(fresh["final"]);
        Assert.Equal("2024-W10", fresh["nextWeek"]!["week"].Str());
        Assert.Equal(DateTimeOffset.Parse("2024-03-04T09:00:00+08:00"), DateTimeOffset.Parse(fresh["nextWeek"]!["publishedAt"].Str()));
        Assert.Equal(404, (await viewer.GetJson($"{Plan}/rankings/weekly")).Status);

        // Two Mondays later: W10 and W11 (oldest first), February's evaluation; the latest is what .../rankings/weekly answers.
        await Move(office, "2024-03-11T09:31:00+08:00");
        var index = await viewer.GetOk($"{Plan}/reviews");
        Assert.Equal(["2024-W10", "2024-W11"], index["weekly"]!.AsArray().Select(w => w!["week"].Str()));
        Assert.Equal(DateTimeOffset.Parse("2024-03-11T09:00:00+08:00"), DateTimeOffset.Parse(index["weekly"]![1]!["publishedAt"].Str()));
        Assert.Equal("2024-W11", index["latestWeek"].Str());
        Assert.Equal(index["latestWeek"].Str(), (await viewer.GetOk($"{Plan}/rankings/weekly"))["week"].Str());
        Assert.Equal("2024-W12", index["nextWeek"]!["week"].Str());
        Assert.Equal(["2024-02"], index["monthly"]!.AsArray().Select(m => m!["month"].Str()));
        Assert.Equal(DateTimeOffset.Parse("2024-02-29T23:59:59+08:00"), DateTimeOffset.Parse(index["monthly"]![0]!["evaluatedAt"].Str()));
        Assert.Null(index["final"]);

        // After the final deadline: every week published, none next, and the year-end input.
        await Move(office, "2025-01-01T00:00:00+08:00");
        var all = await viewer.GetOk($"{Plan}/reviews");
        Assert.Null(all["nextWeek"]);
        Assert.Equal(all["weekly"]!.AsArray()[^1]!["week"].Str(), all["latestWeek"].Str());
        Assert.Equal(DateTimeOffset.Parse("2024-12-31T23:59:59+08:00"), DateTimeOffset.Parse(all["final"]!["evaluatedAt"].Str()));
        Assert.Equal(200, (await office.GetJson($"{Plan}/evaluations/final")).Status);
        Assert.Equal(404, (await viewer.GetJson("/api/v1/plans/no-such-plan/reviews")).Status);
        Assert.Equal(401, (await host.As(null).GetJson($"{Plan}/reviews")).Status);
    }

    [Fact]
    public async Task A_monthly_score_is_the_sum_of_its_shown_parts_and_the_exports_hold_the_api_numbers()
    {
        await using var host = new SiloHost().With("Minsheng:Clock:Mode", "Simulated");
        var office = host.As("office");
        var plan = await office.GetOk(Plan);
        await Move(office, "2024-03-01T10:00:00+08:00");
        await Complete(host, plan, "wulin", "m3");
        await Move(office, "2024-04-01T00:00:00+08:00");

        var march = await office.GetOk($"{Plan}/evaluations/2024-03");
        var weights = march["weights"]!;
        foreach (var row in march["streets"]!.AsArray().Concat(march["departments"]!.AsArray()))
        {
            var ratio = row!["ratio"].Dec();
            var expected = row["expected"].Dec();
            var progress = Math.Round(weights["progressWeight"].Dec() * (expected == 0 ? 1 : Math.Min(1, ratio / expected)), 2, MidpointRounding.AwayFromZero);
            Assert.True(Math.Abs(progress - row["progress"].Dec()) <= 0.01m, $"{row["id"]}: progress {row["progress"]} vs {progress}");
            Assert.Equal(row["progress"].Dec() + row["cases"].Dec() + row["reporting"].Dec(), row["subtotal"].Dec());
            Assert.Equal(Math.Max(0, row["subtotal"].Dec() - row["penalty"].Dec()), row["total"].Dec());
        }
        // Worked by hand (README): 武林 did everything on 03-01: 70 + 20 (no case) + 10 × 4/4 (four 晾晒 in March, never
        // silent) = 100, rank 1.
        var wulin = march["streets"]!.AsArray().Single(s => s!["id"].Str() == "wulin")!;
        Assert.Equal(1, wulin["rank"]!.GetValue<int>());
        Assert.Equal((70m, 20m, 10m, 4, 0, 100m), (wulin["progress"].Dec(), wulin["cases"].Dec(), wulin["reporting"].Dec(),
            wulin["weeksCounted"]!.GetValue<int>(), wulin["silentWeeks"]!.GetValue<int>(), wulin["total"].Dec()));
        // 大关 did nothing: progress 70 × 0 = 0; no case yet (the first lagging Monday is 04-01): 20; silent in all four
        // weeks: 0; subtotal 20, last place of the streets (with the other 16 that did nothing), penalty 2: total 18.
        var daguan = march["streets"]!.AsArray().Single(s => s!["id"].Str() == "daguan")!;
        Assert.Equal((0m, 20m, 0m, 4, 4, 20m), (daguan["progress"].Dec(), daguan["cases"].Dec(), daguan["reporting"].Dec(),
            daguan["weeksCounted"]!.GetValue<int>(), daguan["silentWeeks"]!.GetValue<int>(), daguan["subtotal"].Dec()));
        Assert.Equal((true, 1, 2m, 18m), (daguan["lastPlace"]!.GetValue<bool>(), daguan["lastPlaceStreak"]!.GetValue<int>(),
            daguan["penalty"].Dec(), daguan["total"].Dec()));
        Assert.Equal(404, (await office.GetJson($"{Plan}/evaluations/2024-04")).Status);
        Assert.Equal(404, (await office.GetJson($"{Plan}/evaluations/2023-12")).Status);
        Assert.Equal(400, (await office.GetJson($"{Plan}/evaluations/march")).Status);

        // The breakdown table as a viewer downloads it: 3.1 武林 is "target/target"; 3.1 天水 "0/8".
        var viewer = host.As("viewer");
        using var xlsx = await viewer.GetAsync($"{Plan}/exports/breakdown?format=xlsx");
        Assert.Equal(200, (int)xlsx.StatusCode);
        var sheet = XlsxBook.Open(await xlsx.Content.ReadAsByteArrayAsync()).Sheet("任务分解表");
        var headers = Enumerable.Range(1, 23).Select(c => sheet.Text(2, c)).ToList();
        var row31 = Enumerable.Range(3, 40).First(r => sheet.Text(r, 1) == "3.1");
        Assert.Equal("0/8", sheet.Text(row31, headers.IndexOf("天水") + 1));
        var wulinTarget = plan["tasks"]!.AsArray().Single(t => t!["id"].Str() == "3.1")!["assignments"]!.AsArray()
            .Single(a => a!["unitId"].Str() == "wulin")!["target"]!.GetValue<long>();
        Assert.Equal($"{wulinTarget}/{wulinTarget}", sheet.Text(row31, headers.IndexOf("武林") + 1));

        // The same table as of before the reports, as CSV (UTF-8 with BOM): 武林 still at 0.
        using var csv = await viewer.GetAsync($"{Plan}/exports/breakdown?format=csv&asOf=2024-02-29T00:00:00%2B08:00");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Contains($"0/{wulinTarget}", text.Split('\n').First(l => l.StartsWith("3.1,", StringComparison.Ordinal)));

        // After the final deadline: December's evaluation and the year-end input, every street and lead department
        // ranked; 武林, done on time everywhere, has completion 1 and rank 1.
        Assert.Equal(404, (await office.GetJson($"{Plan}/evaluations/final")).Status);
        await Move(office, "2025-01-01T00:00:00+08:00");
        var final = await office.GetOk($"{Plan}/evaluations/final");
        Assert.Equal(18, final["streets"]!.AsArray().Count);
        var wulinFinal = final["streets"]!.AsArray().Single(s => s!["id"].Str() == "wulin")!;
        Assert.Equal((1m, 1, 0), (wulinFinal["completion"].Dec(), wulinFinal["rank"]!.GetValue<int>(), wulinFinal["notDone"]!.GetValue<int>()));
        var months = final["streets"]!.AsArray().Select(s => s!["monthsCounted"]!.GetValue<int>()).Distinct().ToList();
        Assert.True(months is [>= 10], $"months counted: {string.Join(",", months)}");
        Assert.Equal(200, (await office.GetJson($"{Plan}/evaluations/2024-12")).Status);

        using var monthly = await viewer.GetAsync($"{Plan}/exports/evaluations/2024-03?format=xlsx");
        Assert.Equal(200, (int)monthly.StatusCode);
        var monthlyBytes = await monthly.Content.ReadAsByteArrayAsync();
        Assert.Empty(XlsxBook.ValidationErrors(monthlyBytes));
        Assert.Contains("2024-03", XlsxBook.Open(monthlyBytes).Sheet("月度评估").Text(1, 1));
        using var weekly = await viewer.GetAsync($"{Plan}/exports/rankings/weekly/2024-W10?format=csv");
        Assert.Equal(200, (int)weekly.StatusCode);
        Assert.Contains("武林", await weekly.Content.ReadAsStringAsync());
        Assert.Equal(400, (int)(await viewer.GetAsync($"{Plan}/exports/breakdown?format=pdf")).StatusCode);
    }
}
