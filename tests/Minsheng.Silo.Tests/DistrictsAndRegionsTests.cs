using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Grains.Audit;
using Minsheng.Hosting.Auth;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Many districts in one service (issue 19): three plans whose streets share ids — gongshu-2024 (district gongshu) and
/// xihu-2024 (district xihu, a copy of the seed) in region hangzhou, haishu-2024 (district haishu) in region ningbo. A
/// unit token counts only in its district's plans; region roles only in their region's; the region rollup ranks plans
/// by the same numbers as their own rollups.
/// </summary>
public sealed partial class DistrictsAndRegionsTests(DistrictsAndRegionsTests.Host host) : IClassFixture<DistrictsAndRegionsTests.Host>
{
    /// <summary>A silo on the simulated clock (at the plans' start, 2024-02-28 09:00) loading the three plans.</summary>
    public sealed class Host : SiloHost
    {
        private readonly string _seeds = Directory.CreateTempSubdirectory("minsheng-districts-").FullName;

        public Host()
        {
            var seed = File.ReadAllText(Path.Combine(RepoPaths.Seeds, "gongshu-2024.plan.json"));
            File.WriteAllText(Path.Combine(_seeds, "gongshu-2024.plan.json"), seed);
            File.WriteAllText(Path.Combine(_seeds, "xihu-2024.plan.json"), Copy(seed, "xihu-2024", "xihu", "西湖区", "hangzhou", "杭州市"));
            File.WriteAllText(Path.Combine(_seeds, "haishu-2024.plan.json"), Copy(seed, "haishu-2024", "haishu", "海曙区", "ningbo", "宁波市"));
            With("Minsheng:Seeds", _seeds);
            With("Minsheng:Clock:Mode", "Simulated");
        }

        private static string Copy(string seed, string id, string district, string districtName, string region, string regionName)
        {
            var plan = JsonNode.Parse(seed)!.AsObject();
            plan["id"] = id;
            plan["title"] = $"2024年{districtName}民生实事项目";
            plan["district"] = new JsonObject { ["id"] = district, ["name"] = districtName };
            plan["region"] = new JsonObject { ["id"] = region, ["name"] = regionName };
            return plan.ToJsonString();
        }

        /// <summary>A client whose token is <paramref name="role"/> of <paramref name="district"/>.</summary>
        public HttpClient In(string role, string district)
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, district: district));
            return client;
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(_seeds, recursive: true);
        }
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    private static void AssertProblem(int status, JsonNode? body, int expected, string field)
    {
        Assert.True(status == expected, $"{status}: {body.Canonical()}");
        Assert.Equal(field, body!["field"].Str());
        Assert.Matches(Chinese(), body["reason"].Str());
    }

    private static object Report(string reportId, string unitId, long completed, string taskId = "3.1") => new { reportId, taskId, unitId, completed };

    [Fact]
    public async Task A_street_token_writes_in_its_district_and_is_refused_in_another_districts_plan_with_the_same_street()
    {
        var gongshu = host.As("street:tianshui");
        var (created, _) = await gongshu.PostJson("/api/v1/plans/gongshu-2024/reports", Report("d-gongshu-1", "tianshui", 3, "4.2"));
        Assert.Equal(201, created);

        var (status, body) = await gongshu.PostJson("/api/v1/plans/xihu-2024/reports", Report("d-cross-1", "tianshui", 5, "4.2"));
        AssertProblem(status, body, 403, "planId");
        Assert.Contains("gongshu", body!["reason"].Str());
        // The refused write is audited like every other refusal: who, which plan, which field.
        var audit = (InMemoryAuditLog)host.Services.GetRequiredService<IAuditLog>();
        Assert.Contains(audit.Entries, e => e.Outcome == AuditOutcome.Refused && e.Status == 403 && e.PlanId == "xihu-2024" && e.Actor == "street:tianshui");
        var (scheduled, scheduleBody) = await gongshu.PutJson("/api/v1/plans/xihu-2024/assignments/4.2/tianshui/schedule",
            new { milestones = new[] { new { date = "2024-10-31", completed = 1L } } });
        AssertProblem(scheduled, scheduleBody, 403, "planId");
        // Its reads of the other district's plan too: the plan, its street, the history, the stream.
        foreach (var path in new[] { "", "/rollup", "/streets/tianshui", "/assignments/4.2/tianshui/history", "/alerts", "/cases", "/reviews", "/events" })
        {
            var (read, readBody) = await gongshu.GetJson("/api/v1/plans/xihu-2024" + path);
            AssertProblem(read, readBody, 403, "planId");
        }

        // Nothing changed in xihu-2024; the office sees it.
        var office = host.As("office");
        var street = await office.GetOk("/api/v1/plans/xihu-2024/streets/tianshui");
        Assert.Equal(0, street["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "4.2")!["completed"]!.GetValue<long>());
        Assert.Empty((await office.GetOk("/api/v1/plans/xihu-2024/assignments/4.2/tianshui/history")).AsArray());
        Assert.Equal("default", (await office.GetOk("/api/v1/plans/xihu-2024/streets/tianshui"))["assignments"]!.AsArray()
            .Single(a => a!["taskId"].Str() == "4.2")!["scheduleSource"].Str());

        // xihu's own tianshui writes there, and not into gongshu-2024.
        var xihu = host.In("street:tianshui", "xihu");
        Assert.Equal(201, (await xihu.PostJson("/api/v1/plans/xihu-2024/reports", Report("d-xihu-1", "tianshui", 2, "4.2"))).Status);
        var (back, backBody) = await xihu.PostJson("/api/v1/plans/gongshu-2024/reports", Report("d-cross-2", "tianshui", 9, "4.2"));
        AssertProblem(back, backBody, 403, "planId");
        var gongshuRow = (await office.GetOk("/api/v1/plans/gongshu-2024/streets/tianshui"))["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "4.2")!;
        Assert.Equal(3, gongshuRow["completed"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_department_token_answers_only_in_its_district()
    {
        // 3.2 is led by education; its 区本级 target is 16000.
        var education = host.In("department:education", "xihu");
        Assert.Equal(201, (await education.PostJson("/api/v1/plans/xihu-2024/reports", Report("d-health-1", "district", 1, "3.2"))).Status);
        var (status, body) = await education.PostJson("/api/v1/plans/gongshu-2024/reports", Report("d-health-2", "district", 1, "3.2"));
        AssertProblem(status, body, 403, "planId");
        var history = await host.As("office").GetOk("/api/v1/plans/gongshu-2024/assignments/3.2/district/history");
        Assert.DoesNotContain(history.AsArray(), h => h!["reportId"].Str() == "d-health-2");
    }

    [Fact]
    public async Task A_unit_token_without_a_district_is_refused_everywhere()
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TokenIssuer.Issue(SiloHost.SigningKey, "street:tianshui", TimeSpan.FromHours(1), DateTimeOffset.UtcNow));
        var (s1, b1) = await client.GetJson("/api/v1/plans");
        AssertProblem(s1, b1, 403, "role");
        Assert.Contains("district", b1!["reason"].Str());
        var (s2, b2) = await client.PostJson("/api/v1/plans/gongshu-2024/reports", Report("d-nodistrict-1", "tianshui", 1, "6.1"));
        AssertProblem(s2, b2, 403, "role");
        Assert.Empty((await host.As("office").GetOk("/api/v1/plans/gongshu-2024/assignments/6.1/tianshui/history")).AsArray());

        // A district that has no such unit is no caller either.
        var (s3, b3) = await host.In("street:tianshui", "nowhere").GetJson("/api/v1/plans");
        AssertProblem(s3, b3, 403, "role");
    }

    [Fact]
    public async Task The_plan_list_shows_what_the_caller_may_use()
    {
        static async Task<string[]> Ids(HttpClient c) => (await c.GetOk("/api/v1/plans")).AsArray().Select(p => p!["id"].Str()).ToArray();
        Assert.Equal(["gongshu-2024", "haishu-2024", "xihu-2024"], await Ids(host.As("office")));
        Assert.Equal(["gongshu-2024", "haishu-2024", "xihu-2024"], await Ids(host.As("viewer")));
        Assert.Equal(["gongshu-2024"], await Ids(host.As("street:tianshui")));
        Assert.Equal(["haishu-2024"], await Ids(host.In("department:health", "haishu")));
        Assert.Equal(["gongshu-2024", "xihu-2024"], await Ids(host.As("region-viewer:hangzhou")));
        Assert.Equal(["haishu-2024"], await Ids(host.As("region-office:ningbo")));
        var (status, body) = await host.As("region-viewer:shanghai").GetJson("/api/v1/plans");
        AssertProblem(status, body, 403, "role");
    }

    [Fact]
    public async Task The_plan_list_pages_by_plan_id_with_a_next_link_and_refuses_a_bad_limit()
    {
        using var office = host.As("office");
        var pages = new List<string[]>();
        string? url = "/api/v1/plans?limit=2";
        while (url is not null)
        {
            using var response = await office.GetAsync(url);
            Assert.Equal(200, (int)response.StatusCode);
            pages.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(p => p!["id"].Str()).ToArray());
            url = response.Headers.TryGetValues("Link", out var links) ? Regex.Match(links.Single(), "<([^>]+)>; rel=\"next\"").Groups[1].Value : null;
            Assert.True(pages.Count <= 3, "the pages do not end");
        }
        Assert.Equal([["gongshu-2024", "haishu-2024"], ["xihu-2024"]], pages);
        Assert.Equal(["xihu-2024"], (await office.GetOk("/api/v1/plans?after=haishu-2024")).AsArray().Select(p => p!["id"].Str()));
        Assert.Empty((await office.GetOk("/api/v1/plans?after=zz")).AsArray());
        // A region's plans page the same way, inside the region.
        Assert.Equal(["xihu-2024"], (await host.As("region-viewer:hangzhou").GetOk("/api/v1/plans?after=gongshu-2024&limit=1")).AsArray().Select(p => p!["id"].Str()));
        foreach (var bad in new[] { "0", "1001", "-1" })
        {
            var (status, body) = await office.GetJson($"/api/v1/plans?limit={bad}");
            AssertProblem(status, body, 400, "limit");
        }
    }

    [Fact]
    public async Task A_region_viewer_reads_its_regions_plans_only_and_writes_nothing()
    {
        var viewer = host.As("region-viewer:hangzhou");
        await viewer.GetOk("/api/v1/plans/xihu-2024/rollup");
        await viewer.GetOk("/api/v1/plans/gongshu-2024/streets/wulin");
        var (outside, outsideBody) = await viewer.GetJson("/api/v1/plans/haishu-2024/rollup");
        AssertProblem(outside, outsideBody, 403, "planId");
        var (write, writeBody) = await viewer.PostJson("/api/v1/plans/xihu-2024/reports", Report("d-rv-1", "tianshui", 1, "6.1"));
        AssertProblem(write, writeBody, 403, "role");
        var (open, openBody) = await viewer.PostJson("/api/v1/plans/xihu-2024/cases", new { taskId = "6.1", unitId = "tianshui", reason = "越权" });
        AssertProblem(open, openBody, 403, "role");
        Assert.Empty((await host.As("office").GetOk("/api/v1/plans/xihu-2024/assignments/6.1/tianshui/history")).AsArray());
    }

    [Fact]
    public async Task A_region_office_acts_as_the_office_in_its_regions_plans_and_nowhere_else()
    {
        var office = host.As("region-office:ningbo");
        var (reported, _) = await office.PostJson("/api/v1/plans/haishu-2024/reports", Report("d-ro-1", "wulin", 1, "6.1"));
        Assert.Equal(201, reported);
        var (opened, openedBody) = await office.PostJson("/api/v1/plans/haishu-2024/cases", new { taskId = "6.1", unitId = "wulin", reason = "地区督办" });
        Assert.True(opened is 201 or 200, openedBody.Canonical());
        var caseId = openedBody!["id"].Str();
        var (responded, respondedBody) = await office.PostJson($"/api/v1/plans/haishu-2024/cases/{caseId}/responses",
            new { text = "已督促", promisedDate = "2024-06-30" });
        Assert.True(responded is 201 or 200, respondedBody.Canonical());
        var (closed, closedBody) = await office.PostJson($"/api/v1/plans/haishu-2024/cases/{caseId}/close", new { reason = "已整改" });
        Assert.True(closed == 200, closedBody.Canonical());

        // Outside its region: nothing, and nothing changes there.
        var (report, reportBody) = await office.PostJson("/api/v1/plans/gongshu-2024/reports", Report("d-ro-2", "wulin", 2, "6.1"));
        AssertProblem(report, reportBody, 403, "planId");
        var (open, openBody) = await office.PostJson("/api/v1/plans/gongshu-2024/cases", new { taskId = "6.1", unitId = "wulin", reason = "越权" });
        AssertProblem(open, openBody, 403, "planId");
        Assert.Empty((await host.As("office").GetOk("/api/v1/plans/gongshu-2024/cases?taskId=6.1&unitId=wulin")).AsArray());
        Assert.Empty((await host.As("office").GetOk("/api/v1/plans/gongshu-2024/assignments/6.1/wulin/history")).AsArray());
        // Nothing service-wide: the clock stays the office's.
        var (clock, clockBody) = await office.PostJson("/api/v1/admin/clock", new { now = "2024-03-01T00:00:00+08:00" });
        AssertProblem(clock, clockBody, 403, "role");
    }

    [Fact]
    public async Task The_region_list_shows_the_regions_the_caller_may_read()
    {
        static async Task<string[]> Lines(HttpClient c) => (await c.GetOk("/api/v1/regions")).AsArray()
            .Select(r => $"{r!["regionId"].Str()} {r["name"].Str()} {r["plans"]!.GetValue<int>()}").ToArray();
        Assert.Equal(["hangzhou 杭州市 2", "ningbo 宁波市 1"], await Lines(host.As("viewer")));
        Assert.Equal(["hangzhou 杭州市 2"], await Lines(host.As("region-viewer:hangzhou")));
        Assert.Empty((await host.As("street:tianshui").GetOk("/api/v1/regions")).AsArray());
    }

    [Fact]
    public async Task Region_rollup_is_refused_to_other_roles_and_unknown_regions_are_404()
    {
        var (unknown, unknownBody) = await host.As("office").GetJson("/api/v1/regions/shanghai/rollup");
        AssertProblem(unknown, unknownBody, 404, "regionId");
        var (other, otherBody) = await host.As("region-viewer:ningbo").GetJson("/api/v1/regions/hangzhou/rollup");
        AssertProblem(other, otherBody, 403, "regionId");
        var (unit, unitBody) = await host.As("street:tianshui").GetJson("/api/v1/regions/hangzhou/rollup");
        AssertProblem(unit, unitBody, 403, "regionId");
        var (bad, badBody) = await host.As("office").GetJson("/api/v1/regions/hangzhou/rollup?asOf=yesterday");
        AssertProblem(bad, badBody, 400, "asOf");
    }

    /// <summary>
    /// Hand-worked: task 3.1 (project 3 = tasks 3.1 and 3.2) has 200 classes, tianshui's and wulin's share 8 each.
    /// gongshu: tianshui 8 → task 3.1 = 8/200 = 1/25, project 3 = (1/25 + 0)/2 = 1/50, plan = (1/50)/10 = 0.002.
    /// xihu: tianshui 8 and wulin 8 → 16/200 = 2/25, project 1/25, plan 1/250 = 0.004. So xihu ranks 1, gongshu 2.
    /// Counts at the clock's start (2024-02-28 09:00, nothing due yet): gongshu done 1 of its 185 assignment metrics,
    /// the rest on track; xihu done 2. Reports in other tests of this class touch neither plan's task 3.1 nor status
    /// counts of these two plans' other cells beyond on track vs done, so the counts below are read from the plan
    /// rollups and compared, and the ratios are exact.
    /// </summary>
    [Fact]
    public async Task Region_rollup_ranks_its_plans_by_ratio_with_the_plan_rollups_numbers()
    {
        var asOfBefore = Uri.EscapeDataString("2024-02-28T08:00:00+08:00");
        var office = host.As("office");
        Assert.Equal(201, (await host.As("street:tianshui").PostJson("/api/v1/plans/gongshu-2024/reports", Report("r-g-1", "tianshui", 8))).Status);
        var xihu = host.In("street:tianshui", "xihu");
        Assert.Equal(201, (await xihu.PostJson("/api/v1/plans/xihu-2024/reports", Report("r-x-1", "tianshui", 8))).Status);
        Assert.Equal(201, (await host.In("street:wulin", "xihu").PostJson("/api/v1/plans/xihu-2024/reports", Report("r-x-2", "wulin", 8))).Status);
        await host.Settle("gongshu-2024");
        await host.Settle("xihu-2024");

        var rollup = await host.As("region-viewer:hangzhou").GetOk("/api/v1/regions/hangzhou/rollup");
        Assert.Equal("hangzhou", rollup["regionId"].Str());
        Assert.Equal("杭州市", rollup["name"].Str());
        var plans = rollup["plans"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(["xihu-2024", "gongshu-2024"], plans.Select(p => p["planId"].Str()));
        Assert.Equal([1, 2], plans.Select(p => p["rank"]!.GetValue<int>()));
        Assert.Equal(0.004m, plans[0]["ratio"].Dec());
        Assert.Equal(0.002m, plans[1]["ratio"].Dec());
        Assert.Equal("2024年西湖区民生实事项目", plans[0]["title"].Str());
        foreach (var plan in plans)
        {
            var own = await office.GetOk($"/api/v1/plans/{plan["planId"].Str()}/rollup");
            Assert.Equal(own["ratio"].Dec(), plan["ratio"].Dec());
            Assert.Equal(own["counts"].Canonical(), plan["counts"].Canonical());
        }
        // Done counts include at least the 3.1 cells reported here (the other tests add their own done cells only in
        // task 4.2 and 6.1, whose small reports do not finish them).
        Assert.Equal(2, plans[0]["counts"]!["done"]!.GetValue<int>());
        Assert.Equal(1, plans[1]["counts"]!["done"]!.GetValue<int>());
        Assert.All(plans, p => Assert.Equal(185, new[] { "done", "onTrack", "lagging", "overdue" }.Sum(k => p["counts"]![k]!.GetValue<int>())));

        // Before any report: every ratio 0, so both share rank 1, listed by plan id; the counts are the plan rollups' as of then.
        var before = await office.GetOk($"/api/v1/regions/hangzhou/rollup?asOf={asOfBefore}");
        var early = before["plans"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(["gongshu-2024", "xihu-2024"], early.Select(p => p["planId"].Str()));
        Assert.All(early, p => Assert.Equal(1, p["rank"]!.GetValue<int>()));
        Assert.All(early, p => Assert.Equal(0m, p["ratio"].Dec()));
        foreach (var plan in early)
            Assert.Equal((await office.GetOk($"/api/v1/plans/{plan["planId"].Str()}/rollup?asOf={asOfBefore}"))["counts"].Canonical(), plan["counts"].Canonical());
        Assert.Equal(DateTimeOffset.Parse("2024-02-28T08:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture),
            before["asOf"]!.GetValue<DateTimeOffset>());
    }
}
