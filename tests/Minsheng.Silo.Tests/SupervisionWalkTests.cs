using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// A simulated year of gongshu-2024 on the business clock. Numbers worked out by hand from the linear default
/// schedule: start 2024-02-28 00:00, deadline 2024-11-30 23:59:59 (+08:00), a span of 277 days less one second;
/// tolerance 0.10 of the target; weekly checks on Mondays at 09:00.
/// </summary>
public sealed class SupervisionWalkTests
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    private static SiloHost Simulated() => new SiloHost().With("Minsheng:Clock:Mode", "Simulated");

    private static async Task Move(HttpClient office, string now)
    {
        var (status, body) = await office.PostJson("/api/v1/admin/clock", new { now });
        Assert.True(status == 200, $"clock to {now}: {status} {body}");
    }

    private static async Task Report(SiloHost host, string role, string id, string taskId, string unitId, long completed)
    {
        var (status, body) = await host.As(role).PostJson($"{Plan}/reports", new { reportId = id, taskId, unitId, completed });
        Assert.True(status == 201, $"{id}: {status} {body}");
    }

    /// <summary>The scenario's reports, all on 2024-03-01 10:00.</summary>
    private static async Task Seed(SiloHost host)
    {
        var office = host.As("office");
        await Move(office, "2024-03-01T10:00:00+08:00");
        await Report(host, "street:tianshui", "t-1", "3.1", "tianshui", 2);     // 2 of 8
        await Report(host, "street:shangtang", "s-1", "3.1", "shangtang", 1);   // 1 of 14
        await Report(host, "department:education", "e-1", "7.1", "district", 4); // 4 of 4: done
    }

    private static JsonNode? Alert(JsonNode alerts, string taskId, string unitId, string kind) =>
        alerts.AsArray().FirstOrDefault(a => a!["taskId"].Str() == taskId && a["unitId"].Str() == unitId && a["kind"].Str() == kind);

    private static IEnumerable<JsonNode> Cases(JsonNode cases, string taskId, string unitId) =>
        cases.AsArray().Select(c => c!).Where(c => c["taskId"].Str() == taskId && c["unitId"].Str() == unitId);

    [Fact]
    public async Task Lagging_statuses_and_cases_open_at_the_worked_out_weekly_checks()
    {
        await using var host = Simulated();
        var office = host.As("office");
        await Seed(host);

        // Mon 2024-04-15 09:00: 47.375 of 277 days -> 14 * 0.17103 = 2.394 expected; 1 done is 1.394 behind < 1.4.
        await Move(office, "2024-04-15T09:00:00+08:00");
        var alerts = await office.GetOk($"{Plan}/alerts");
        Assert.Null(Alert(alerts, "3.1", "shangtang", "lagging"));
        // Nothing done on 1.1 shangtang (target 1): 0.17103 expected > 0.1 tolerance: lagging since Mon 2024-04-01.
        var zero = Alert(alerts, "1.1", "shangtang", "lagging");
        Assert.NotNull(zero);
        Assert.Equal(1, zero!["level"]!.GetValue<int>());

        // Mon 2024-04-22 09:00: 54.375 days -> 2.748 expected, 1.748 behind > 1.4: lagging (week 1 of 4).
        await Move(office, "2024-04-22T09:00:00+08:00");
        Assert.NotNull(Alert(await office.GetOk($"{Plan}/alerts"), "3.1", "shangtang", "lagging"));
        // 1.1 shangtang has lagged at Apr 1, 8, 15, 22: its fourth weekly check opens a case.
        var cases = await office.GetOk($"{Plan}/cases?state=open");
        var laggingCase = Assert.Single(Cases(cases, "1.1", "shangtang"));
        Assert.Equal("2024-04-22T09:00:00+08:00", laggingCase["openedAt"].Str());
        Assert.Equal(["civil-affairs", "fan-zheng", "wang-yiping", "jia-yuanyuan"], laggingCase["addressedTo"]!.AsArray().Select(a => a.Str()));
        Assert.Empty(Cases(cases, "3.1", "shangtang"));
        Assert.Equal(2, Alert(await office.GetOk($"{Plan}/alerts"), "1.1", "shangtang", "lagging")!["level"]!.GetValue<int>());

        // Apr 29, May 6, May 13: the fourth check in a row for 3.1 shangtang.
        await Move(office, "2024-05-13T08:59:59+08:00");
        Assert.Empty(Cases(await office.GetOk($"{Plan}/cases"), "3.1", "shangtang"));
        await Move(office, "2024-05-13T09:00:00+08:00");
        var shangtang = Assert.Single(Cases(await office.GetOk($"{Plan}/cases"), "3.1", "shangtang"));
        Assert.Equal(["health", "wang-yiping", "jia-yuanyuan"], shangtang["addressedTo"]!.AsArray().Select(a => a.Str()));

        // 3.1 tianshui (2 of 8): first lagging at Mon Jun 10 (2.986 expected > 2.8), fourth check Mon Jul 1.
        await Move(office, "2024-06-30T23:00:00+08:00");
        Assert.Empty(Cases(await office.GetOk($"{Plan}/cases"), "3.1", "tianshui"));
        await Move(office, "2024-07-01T09:00:00+08:00");
        Assert.Equal("2024-07-01T09:00:00+08:00", Assert.Single(Cases(await office.GetOk($"{Plan}/cases"), "3.1", "tianshui"))["openedAt"].Str());

        // The street view shows the statuses: 7.1 district is done and not late.
        var district = (await office.GetOk($"{Plan}/departments/education"))["assignments"]!.AsArray()
            .Single(a => a!["taskId"].Str() == "7.1" && a["unitId"].Str() == "district")!;
        Assert.Equal("done", district["status"].Str());
        Assert.False(district["late"]!.GetValue<bool>());
    }

    [Fact]
    public async Task After_the_deadline_exactly_the_assignments_not_done_have_open_cases_and_december_completion_is_late()
    {
        await using var host = Simulated();
        var office = host.As("office");
        var plan = await office.GetOk(Plan);
        await Seed(host);
        await Move(office, "2024-11-20T10:00:00+08:00");
        Assert.NotNull(Alert(await office.GetOk($"{Plan}/alerts"), "3.1", "tianshui", "deadlineNear")); // 30 days before: Oct 31
        await Move(office, "2024-12-01T00:00:00+08:00");

        var pairs = plan["tasks"]!.AsArray()
            .SelectMany(t => t!["assignments"]!.AsArray().Select(a => $"{t["id"].Str()}/{a!["unitId"].Str()}"))
            .Distinct().ToHashSet();
        var notDone = pairs.Where(p => p != "7.1/district").ToHashSet();
        var open = (await office.GetOk($"{Plan}/cases?state=open")).AsArray()
            .Select(c => $"{c!["taskId"].Str()}/{c["unitId"].Str()}").ToHashSet();
        Assert.Equal(notDone.Order(), open.Order());
        var overdue = (await office.GetOk($"{Plan}/alerts")).AsArray().Where(a => a!["kind"].Str() == "overdue").ToList();
        Assert.All(overdue, a => Assert.Equal(2, a!["level"]!.GetValue<int>()));
        Assert.DoesNotContain(overdue, a => a!["taskId"].Str() == "7.1");

        // The lead department answers; the office closes another by hand.
        var tianshuiCases = Cases(await office.GetOk($"{Plan}/cases"), "3.1", "tianshui").ToList();
        var overdueCase = tianshuiCases.Single(c => c["kind"].Str() == "overdue");
        Assert.Equal(403, (await host.As("department:education").PostJson($"{Plan}/cases/{overdueCase["id"].Str()}/responses",
            new { text = "不是我们", promisedDate = "2024-12-10" })).Status);
        var (answered, answer) = await host.As("department:health").PostJson($"{Plan}/cases/{overdueCase["id"].Str()}/responses",
            new { text = "已约定12月10日前补齐", promisedDate = "2024-12-10" });
        Assert.Equal(200, answered);
        Assert.Equal("responded", answer!["state"].Str());

        // Completed in December: done, late, and its cases close themselves.
        await Move(office, "2024-12-08T15:00:00+08:00");
        await Report(host, "street:tianshui", "t-2", "3.1", "tianshui", 8);
        var row = (await office.GetOk($"{Plan}/streets/tianshui"))["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "3.1")!;
        Assert.Equal("done", row["status"].Str());
        Assert.True(row["late"]!.GetValue<bool>());
        await host.Settle();
        var closed = Cases(await office.GetOk($"{Plan}/cases"), "3.1", "tianshui").ToList();
        Assert.All(closed, c => Assert.Equal("closed", c["state"].Str()));
        Assert.Equal(2, closed.Count);
    }

    [Fact]
    public async Task One_big_clock_step_and_many_small_ones_end_in_the_same_state()
    {
        await using var big = Simulated();
        await using var small = Simulated();
        await Seed(big);
        await Seed(small);

        await Move(big.As("office"), "2024-12-01T09:00:00+08:00");
        for (var at = new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.FromHours(8)); at < new DateTimeOffset(2024, 12, 1, 9, 0, 0, TimeSpan.FromHours(8)); at = at.AddHours(61))
            await Move(small.As("office"), at.ToString("yyyy-MM-ddTHH:mm:sszzz"));
        await Move(small.As("office"), "2024-12-01T09:00:00+08:00");
        // A repeated move to the same instant (a reminder ticking again) changes nothing either.
        await Move(small.As("office"), "2024-12-01T09:00:00+08:00");

        Assert.Equal((await big.As("office").GetOk($"{Plan}/cases")).Canonical(), (await small.As("office").GetOk($"{Plan}/cases")).Canonical());
        Assert.Equal((await big.As("office").GetOk($"{Plan}/alerts")).Canonical(), (await small.As("office").GetOk($"{Plan}/alerts")).Canonical());
    }

    [Fact]
    public async Task Clock_moves_are_for_the_office_only_forward_only_and_404_on_the_system_clock()
    {
        await using var host = Simulated();
        Assert.Equal(403, (await host.As("street:tianshui").PostJson("/api/v1/admin/clock", new { now = "2024-05-01T00:00:00+08:00" })).Status);
        await Move(host.As("office"), "2024-05-01T00:00:00+08:00");
        var (back, problem) = await host.As("office").PostJson("/api/v1/admin/clock", new { now = "2024-04-01T00:00:00+08:00" });
        Assert.Equal(422, back);
        Assert.Equal("now", problem!["field"].Str());

        await using var system = new SiloHost();
        Assert.Equal(404, (await system.As("office").PostJson("/api/v1/admin/clock", new { now = "2030-01-01T00:00:00+08:00" })).Status);
    }

}
