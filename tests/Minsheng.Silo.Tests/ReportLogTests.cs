using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Grains;
using Minsheng.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The report log as users see it: history in acceptance order with the count each line replaced, who (role and
/// person), views as of any instant, and checkpoints judged on the facts at their own instant.
/// </summary>
public sealed class ReportLogTests(ITestOutputHelper output)
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    private static SiloHost Simulated() => new SiloHost().With("Minsheng:Clock:Mode", "Simulated");

    private static async Task Move(HttpClient office, string now) =>
        Assert.Equal(200, (await office.PostJson("/api/v1/admin/clock", new { now })).Status);

    private static JsonNode Assignment(JsonNode view, string taskId) =>
        view["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == taskId)!;

    [Fact]
    public async Task Views_as_of_an_instant_show_what_had_been_accepted_by_then()
    {
        await using var host = Simulated();
        var office = host.As("office");
        var street = host.As("street:tianshui");
        await Move(office, "2024-03-01T10:00:00+08:00");
        Assert.Equal(201, (await street.PostJson($"{Plan}/reports", new { reportId = "asof-1", taskId = "3.1", unitId = "tianshui", completed = 2 })).Status);
        await Move(office, "2024-05-01T10:00:00+08:00");
        Assert.Equal(201, (await street.PostJson($"{Plan}/reports", new { reportId = "asof-2", taskId = "3.1", unitId = "tianshui", completed = 5 })).Status);

        // 3.1 天水: target 8. Before the first report 0; in April 2 (ratio 2/8); now 5 (5/8).
        var before = await office.GetOk($"{Plan}/streets/tianshui?asOf=2024-02-29T00:00:00%2B08:00");
        Assert.Equal(0, Assignment(before, "3.1")["completed"]!.GetValue<long>());
        var april = await office.GetOk($"{Plan}/streets/tianshui?asOf=2024-04-01T00:00:00%2B08:00");
        Assert.Equal(2, Assignment(april, "3.1")["completed"]!.GetValue<long>());
        Assert.Equal(0.25m, Assignment(april, "3.1")["ratio"].Dec());
        await host.Settle();
        var now = await office.GetOk($"{Plan}/streets/tianshui");
        Assert.Equal(5, Assignment(now, "3.1")["completed"]!.GetValue<long>());
        Assert.Equal(0.625m, Assignment(now, "3.1")["ratio"].Dec());

        // The plan rollup as of April: task 3.1 has 2 done over all units; the same instant given in UTC reads the same.
        var rollup = await office.GetOk($"{Plan}/rollup?asOf=2024-04-01T00:00:00%2B08:00");
        var task31 = rollup["projects"]!.AsArray().SelectMany(p => p!["tasks"]!.AsArray()).Single(t => t!["id"].Str() == "3.1")!;
        Assert.Equal(2, task31["metrics"]![0]!["completed"]!.GetValue<long>());
        Assert.Equal(rollup.Canonical(), (await office.GetOk($"{Plan}/rollup?asOf=2024-03-31T16:00:00Z")).Canonical());
        var project = await office.GetOk($"{Plan}/projects/3?asOf=2024-04-01T00:00:00%2B08:00");
        Assert.Equal(2, project["assignments"]!.AsArray().Where(a => a!["taskId"].Str() == "3.1").Sum(a => a!["completed"]!.GetValue<long>()));
        Assert.Equal(200, (await office.GetJson($"{Plan}/departments/health?asOf=2024-04-01T00:00:00%2B08:00")).Status);
        Assert.Equal(200, (await office.GetJson($"{Plan}/leaders/fan-zheng?asOf=2024-04-01T00:00:00%2B08:00")).Status);

        foreach (var bad in new[] { "2024-04-01", "2024-04-01T00:00:00", "9999-12-31T23:59:59Z", "yesterday" })
        {
            var (status, problem) = await office.GetJson($"{Plan}/rollup?asOf={Uri.EscapeDataString(bad)}");
            Assert.Equal(400, status);
            Assert.Equal("asOf", problem!["field"].Str());
        }
    }

    [Fact]
    public async Task A_report_accepted_after_Monday_0900_does_not_count_for_that_Mondays_check()
    {
        await using var host = Simulated();
        var office = host.As("office");
        // 3.1 上塘 (target 14) with nothing done: the linear schedule expects 14 x d/277 after d days, more than the
        // tolerance of 1.4 behind from day 27.7 (2024-03-26). Lagging at the Monday checks of 04-01, 04-08, 04-15 and
        // 04-22: the fourth, Mon 2024-04-22 09:00, opens a case.
        await Move(office, "2024-04-22T08:59:00+08:00");
        Assert.Empty((await office.GetOk($"{Plan}/cases?taskId=3.1&unitId=shangtang")).AsArray());

        // The clock passes 09:00 but no check has run yet (as after downtime, or a reminder that fires late)...
        host.Services.GetRequiredService<BusinessClock>().MoveTo(DateTimeOffset.Parse("2024-04-22T09:30:00+08:00"));
        // ... and 上塘 reports 3.1 complete at 09:30. The check of 09:00 runs after it, on the facts of 09:00.
        Assert.Equal(201, (await host.As("street:shangtang").PostJson($"{Plan}/reports",
            new { reportId = "late-monday", taskId = "3.1", unitId = "shangtang", completed = 14 })).Status);
        await Move(office, "2024-04-22T09:31:00+08:00");

        var cases = (await office.GetOk($"{Plan}/cases?taskId=3.1&unitId=shangtang")).AsArray();
        var lagging = Assert.Single(cases);
        Assert.Equal("lagging", lagging!["kind"].Str());
        Assert.Equal(DateTimeOffset.Parse("2024-04-22T09:00:00+08:00"), DateTimeOffset.Parse(lagging["openedAt"].Str()));
        // Done at 09:30: the case closed itself when supervision saw it (by the clock move at 09:31 at the latest).
        Assert.Equal("closed", lagging["state"].Str());
        Assert.InRange(DateTimeOffset.Parse(lagging["closedAt"].Str()),
            DateTimeOffset.Parse("2024-04-22T09:30:00+08:00"), DateTimeOffset.Parse("2024-04-22T09:31:00+08:00"));
    }

    [Fact]
    public async Task History_is_in_acceptance_order_and_each_line_replaced_the_count_before_it()
    {
        await using var host = new SiloHost();
        var street = host.As("street:hushu");
        // 30 reports to one assignment at once, in shuffled order: some are lower than what was accepted before them
        // and are refused; the accepted ones form a chain.
        const int seed = 4230;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var counts = Enumerable.Range(1, 30).OrderBy(_ => random.Next()).ToList();
        var answers = await Task.WhenAll(counts.Select(c =>
            street.PostJson($"{Plan}/reports", new { reportId = $"chain-{c}", taskId = "4.2", unitId = "hushu", completed = c })));
        Assert.All(answers, a => Assert.True(a.Status is 201 or 422, $"{a.Status} {a.Body}"));
        var accepted = answers.Count(a => a.Status == 201);

        var history = (await host.As("viewer").GetOk($"{Plan}/assignments/4.2/hushu/history")).AsArray();
        Assert.Equal(accepted, history.Count);
        long previous = 0;
        foreach (var line in history)
        {
            Assert.Equal(previous, line!["previous"]!.GetValue<long>());
            Assert.True(line["completed"]!.GetValue<long>() >= previous);
            previous = line["completed"]!.GetValue<long>();
        }
        var view = await host.As("viewer").GetOk($"{Plan}/streets/hushu");
        Assert.Equal(previous, Assignment(view, "4.2")["completed"]!.GetValue<long>());
    }

    [Fact]
    public async Task History_names_the_role_and_the_person_and_over_completion_is_accepted()
    {
        await using var host = new SiloHost();
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", SiloHost.Token("street:shangtang", person: "张三"));
        // 1.1 上塘 has a target of 1: 11 is over-completion, shown as reported.
        var (status, answer) = await client.PostJson($"{Plan}/reports", new { reportId = "over-1", taskId = "1.1", unitId = "shangtang", completed = 11, note = "超额完成" });
        Assert.True(status == 201, $"{status} {answer}");
        Assert.Equal(11, answer!["completed"]!.GetValue<long>());
        Assert.Equal("done", answer["status"].Str());

        var line = Assert.Single((await host.As("viewer").GetOk($"{Plan}/assignments/1.1/shangtang/history")).AsArray())!;
        Assert.Equal("street:shangtang", line["by"].Str());
        Assert.Equal("张三", line["person"].Str());
        Assert.Equal("超额完成", line["note"].Str());
        Assert.Equal(0, line["previous"]!.GetValue<long>());
    }
}
