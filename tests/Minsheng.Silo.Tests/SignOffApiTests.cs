using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Grains.Audit;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Sign-off (填报→审核, issue 21): in a plan whose file turns it on, a unit's reporter files a report that counts nowhere
/// until the unit's reviewer approves it; a rejection says why and counts nothing; the approval is the one append that
/// makes it count, and the history and the audit name both people. A plan without it keeps today's behaviour.
/// </summary>
public sealed class SignOffApiTests(SignOffApiTests.Host host) : IClassFixture<SignOffApiTests.Host>
{
    /// <summary>A silo on the simulated clock loading the seed with <c>signOff: true</c> and an unchanged copy, both of gongshu.</summary>
    public sealed class Host : SiloHost
    {
        private readonly string _seeds = Directory.CreateTempSubdirectory("minsheng-signoff-").FullName;

        public Host()
        {
            var seed = File.ReadAllText(Path.Combine(RepoPaths.Seeds, "gongshu-2024.plan.json"));
            var signed = JsonNode.Parse(seed)!.AsObject();
            signed["signOff"] = true;
            File.WriteAllText(Path.Combine(_seeds, "gongshu-2024.plan.json"), signed.ToJsonString());
            var plain = JsonNode.Parse(seed)!.AsObject();
            plain["id"] = "gongshu-plain";
            File.WriteAllText(Path.Combine(_seeds, "gongshu-plain.plan.json"), plain.ToJsonString());
            With("Minsheng:Seeds", _seeds);
            With("Minsheng:Clock:Mode", "Simulated");
        }

        /// <summary>A client for <paramref name="role"/> whose token names <paramref name="person"/>.</summary>
        public HttpClient Person(string role, string person)
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, person: person));
            return client;
        }

        public IReadOnlyList<AuditEntry> Audit => ((InMemoryAuditLog)Services.GetRequiredService<IAuditLog>()).Entries;

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(_seeds, recursive: true);
        }
    }

    private const string Plan = "/api/v1/plans/gongshu-2024";
    private HttpClient Clerk => host.Person("reporter:shangtang", "王芳 (u-1)");
    private HttpClient Reviewer => host.Person("reviewer:shangtang", "李主任 (u-9)");

    private static object Report(string reportId, long completed, string taskId = "3.1", string unitId = "shangtang") =>
        new { reportId, taskId, unitId, completed, note = "养育照护课堂" };

    private async Task<JsonNode?> Cell(string taskId, string unitId, string plan = Plan)
    {
        await host.Settle(plan.Split('/')[^1]);
        var view = unitId == "district"
            ? await host.As("office").GetOk($"{plan}/projects/{taskId.Split('.')[0]}")
            : await host.As("office").GetOk($"{plan}/streets/{unitId}");
        return view["assignments"]!.AsArray().First(a => a!["taskId"].Str() == taskId && a["unitId"].Str() == unitId);
    }

    private async Task<JsonArray> Pending(string query = "") => (await host.As("viewer").GetOk($"{Plan}/pending{query}")).AsArray();

    private static void AssertProblem((int Status, JsonNode? Body) answer, int status, string field)
    {
        Assert.True(answer.Status == status, $"{answer.Status}: {answer.Body.Canonical()}");
        Assert.Equal(field, answer.Body!["field"].Str());
    }

    [Fact]
    public async Task A_filed_report_counts_only_once_the_units_reviewer_approves_it_and_history_and_audit_name_both()
    {
        var (filed, item) = await Clerk.PostJson($"{Plan}/reports", Report("so-1", 5));
        Assert.True(filed == 202, item.Canonical());
        Assert.Equal("pending", item!["state"].Str());
        Assert.Equal(("王芳 (u-1)", "reporter:shangtang", 5L, 14L), (item["reporter"].Str(), item["reporterRole"].Str(), item["completed"]!.GetValue<long>(), item["target"]!.GetValue<long>()));
        Assert.Equal(0, (await Cell("3.1", "shangtang"))!["completed"]!.GetValue<long>());
        Assert.Empty((await host.As("office").GetOk($"{Plan}/assignments/3.1/shangtang/history")).AsArray());
        Assert.Contains(await Pending("?unitId=shangtang"), i => i!["reportId"].Str() == "so-1");

        // A retry answers with the filing as it stands; another body under the id is a conflict.
        var (again, same) = await Clerk.PostJson($"{Plan}/reports", Report("so-1", 5));
        Assert.Equal((202, item["submittedAt"].Str()), (again, same!["submittedAt"].Str()));
        AssertProblem(await Clerk.PostJson($"{Plan}/reports", Report("so-1", 6)), 409, "reportId");

        var (approved, answer) = await Reviewer.PostJson($"{Plan}/reports/so-1/approve", new { });
        Assert.True(approved == 201, answer.Canonical());
        Assert.Equal(5, answer!["completed"]!.GetValue<long>());
        var (retried, replay) = await Reviewer.PostJson($"{Plan}/reports/so-1/approve", new { });
        Assert.Equal((200, answer.Canonical()), (retried, replay.Canonical()));
        Assert.Equal(5, (await Cell("3.1", "shangtang"))!["completed"]!.GetValue<long>());

        var line = (await host.As("office").GetOk($"{Plan}/assignments/3.1/shangtang/history")).AsArray().Single()!;
        Assert.Equal(("reporter:shangtang", "王芳 (u-1)"), (line["by"].Str(), line["person"].Str()));
        var signOff = line["signOff"]!;
        Assert.Equal(("reporter:shangtang", "王芳 (u-1)", "reviewer:shangtang", "李主任 (u-9)"),
            (signOff["reporterRole"].Str(), signOff["reporter"].Str(), signOff["reviewerRole"].Str(), signOff["reviewer"].Str()));
        Assert.Equal(item["submittedAt"].Str(), signOff["submittedAt"].Str());
        Assert.Equal(line["at"].Str(), signOff["approvedAt"].Str());

        Assert.DoesNotContain(await Pending(), i => i!["reportId"].Str() == "so-1");
        var done = (await Pending("?state=approved")).Single(i => i!["reportId"].Str() == "so-1")!;
        Assert.Equal(("approved", "李主任 (u-9)"), (done["state"].Str(), done["reviewer"].Str()));

        var audit = host.Audit.Where(e => e.ReportId == "so-1").ToList();
        var file = Assert.Single(audit, e => e.Action == AuditAction.SignOffFile);
        Assert.Equal(("reporter:shangtang", "王芳 (u-1)"), (file.Actor, file.Person));
        var approval = Assert.Single(audit, e => e.Action == AuditAction.SignOffApprove && e.Outcome == AuditOutcome.Accepted);
        Assert.Equal(("reviewer:shangtang", "李主任 (u-9)", "王芳 (u-1)"), (approval.Actor, approval.Person, approval.Detail!["reporter"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_returns_the_report_and_counts_nothing()
    {
        Assert.Equal(202, (await Clerk.PostJson($"{Plan}/reports", Report("so-r1", 3, "6.2"))).Status);
        AssertProblem(await Reviewer.PostJson($"{Plan}/reports/so-r1/reject", new { reason = "  " }), 422, "reason");
        Assert.Equal("pending", (await Pending()).Single(i => i!["reportId"].Str() == "so-r1")!["state"].Str());

        var (status, back) = await Reviewer.PostJson($"{Plan}/reports/so-r1/reject", new { reason = "缺少签到表" });
        Assert.True(status == 200, back.Canonical());
        Assert.Equal(("rejected", "缺少签到表", "李主任 (u-9)"), (back!["state"].Str(), back["returnReason"].Str(), back["reviewer"].Str()));
        Assert.DoesNotContain(await Pending(), i => i!["reportId"].Str() == "so-r1");
        Assert.Contains(await Pending("?state=rejected&unitId=shangtang"), i => i!["returnReason"].Str() == "缺少签到表");

        AssertProblem(await Reviewer.PostJson($"{Plan}/reports/so-r1/approve", new { }), 409, "reportId");
        AssertProblem(await Reviewer.PostJson($"{Plan}/reports/so-r1/reject", new { reason = "再退" }), 409, "reportId");
        Assert.Equal(0, (await Cell("6.2", "shangtang"))!["completed"]!.GetValue<long>());
        Assert.Empty((await host.As("office").GetOk($"{Plan}/assignments/6.2/shangtang/history")).AsArray());
        Assert.Single(host.Audit, e => e.ReportId == "so-r1" && e.Action == AuditAction.SignOffReject && e.Outcome == AuditOutcome.Accepted
            && e.Person == "李主任 (u-9)" && e.Detail!["reporter"]!.GetValue<string>() == "王芳 (u-1)");
    }

    [Fact]
    public async Task Only_the_units_reviewer_decides_and_nobody_reviews_their_own_filling()
    {
        Assert.Equal(202, (await Clerk.PostJson($"{Plan}/reports", Report("so-w1", 1, "4.1"))).Status);
        AssertProblem(await host.Person("reviewer:wulin", "赵六").PostJson($"{Plan}/reports/so-w1/approve", new { }), 403, "role");
        AssertProblem(await host.Person("reviewer:wulin", "赵六").PostJson($"{Plan}/reports/so-w1/reject", new { reason = "不是我的" }), 403, "role");
        AssertProblem(await Clerk.PostJson($"{Plan}/reports/so-w1/approve", new { }), 403, "role");
        AssertProblem(await host.As("street:shangtang").PostJson($"{Plan}/reports/so-w1/approve", new { }), 403, "role");
        AssertProblem(await host.As("viewer").PostJson($"{Plan}/reports/so-w1/approve", new { }), 403, "role");
        AssertProblem(await host.Person("reviewer:shangtang", "王芳 (u-1)").PostJson($"{Plan}/reports/so-w1/approve", new { }), 403, "reviewer");
        AssertProblem(await Reviewer.PostJson($"{Plan}/reports/nothing/approve", new { }), 404, "reportId");
        // A reviewer reviews; it does not report.
        AssertProblem(await Reviewer.PostJson($"{Plan}/reports", Report("so-w2", 1, "4.1")), 403, "unitId");

        var still = (await Pending()).Single(i => i!["reportId"].Str() == "so-w1")!;
        Assert.Equal("pending", still["state"].Str());
        Assert.Equal(0, (await Cell("4.1", "shangtang"))!["completed"]!.GetValue<long>());
        Assert.Equal(201, (await host.Person("office", "督查科").PostJson($"{Plan}/reports/so-w1/approve", new { })).Status);
        Assert.Equal(1, (await Cell("4.1", "shangtang"))!["completed"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_street_role_files_too_the_office_counts_at_once_and_a_department_signs_off_its_district_cells()
    {
        var (street, filed) = await host.As("street:shangtang").PostJson($"{Plan}/reports", Report("so-s1", 1, "10.2"));
        Assert.Equal((202, "pending"), (street, filed!["state"].Str()));
        Assert.Equal(201, (await host.As("office").PostJson($"{Plan}/reports", Report("so-o1", 2, "2.2"))).Status);
        Assert.Equal(2, (await Cell("2.2", "shangtang"))!["completed"]!.GetValue<long>());

        var (department, item) = await host.Person("reporter:education", "教育局填报员").PostJson($"{Plan}/reports", Report("so-d1", 2, "7.1", "district"));
        Assert.True(department == 202, item.Canonical());
        AssertProblem(await Reviewer.PostJson($"{Plan}/reports/so-d1/approve", new { }), 403, "role");
        Assert.Equal(201, (await host.Person("reviewer:education", "教育局审核人").PostJson($"{Plan}/reports/so-d1/approve", new { })).Status);
        Assert.Equal(2, (await Cell("7.1", "district"))!["completed"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_approval_is_judged_against_the_count_then_and_a_lower_one_stays_pending()
    {
        Assert.Equal(202, (await Clerk.PostJson($"{Plan}/reports", Report("so-l1", 1, "1.1"))).Status);
        Assert.Equal(202, (await Clerk.PostJson($"{Plan}/reports", Report("so-l0", 0, "1.1"))).Status);
        Assert.Equal(201, (await Reviewer.PostJson($"{Plan}/reports/so-l1/approve", new { })).Status);
        Assert.Equal(1, (await Cell("1.1", "shangtang"))!["completed"]!.GetValue<long>());
        AssertProblem(await Reviewer.PostJson($"{Plan}/reports/so-l0/approve", new { }), 422, "completed");
        Assert.Equal("pending", (await Pending()).Single(i => i!["reportId"].Str() == "so-l0")!["state"].Str());
        Assert.Equal(200, (await Reviewer.PostJson($"{Plan}/reports/so-l0/reject", new { reason = "低于已计入的数" })).Status);
    }

    [Fact]
    public async Task A_plan_without_sign_off_counts_a_reporters_report_at_once_and_has_nothing_to_review()
    {
        const string plain = "/api/v1/plans/gongshu-plain";
        var (status, answer) = await Clerk.PostJson($"{plain}/reports", Report("p-1", 4));
        Assert.True(status == 201, answer.Canonical());
        Assert.Equal(4, (await Cell("3.1", "shangtang", plain))!["completed"]!.GetValue<long>());
        Assert.Empty((await host.As("viewer").GetOk($"{plain}/pending")).AsArray());
        AssertProblem(await Reviewer.PostJson($"{plain}/reports/p-1/approve", new { }), 404, "reportId");
        var (catalog, plan) = await host.As("viewer").GetJson(plain);
        Assert.Equal(200, catalog);
        Assert.Null(plan!["signOff"]);
        Assert.True((await host.As("viewer").GetOk(Plan))["signOff"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Evidence_goes_with_a_filing_is_seen_by_the_reviewer_and_stays_on_the_counted_history_line()
    {
        Assert.Equal(202, (await Clerk.PostJson($"{Plan}/reports", Report("so-e1", 1, "6.1"))).Status);
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Minsheng.Testing.EvidenceSamples.Pdf()), "files", "签到表.pdf");
        using (var uploaded = await Clerk.PostAsync($"{Plan}/reports/so-e1/evidence", form))
            Assert.Equal(201, (int)uploaded.StatusCode);
        // Another street's clerk may not add to it.
        var other = new MultipartFormDataContent();
        other.Add(new ByteArrayContent(Minsheng.Testing.EvidenceSamples.Pdf()), "files", "x.pdf");
        using (var refused = await host.Person("reporter:wulin", "赵六").PostAsync($"{Plan}/reports/so-e1/evidence", other))
            Assert.Equal(403, (int)refused.StatusCode);

        var seen = (await Reviewer.GetOk($"{Plan}/reports/so-e1/evidence")).AsArray().Single()!;
        Assert.Equal(("签到表.pdf", "application/pdf"), (seen["name"].Str(), seen["contentType"].Str()));
        Assert.Equal(201, (await Reviewer.PostJson($"{Plan}/reports/so-e1/approve", new { })).Status);
        var line = (await host.As("viewer").GetOk($"{Plan}/assignments/6.1/shangtang/history")).AsArray().Single()!;
        var file = line["files"]!.AsArray().Single()!;
        Assert.Equal((seen["fileId"].Str(), "签到表.pdf", seen["sha256"].Str()), (file["fileId"].Str(), file["name"].Str(), file["sha256"].Str()));
    }

    [Fact]
    public async Task An_approval_and_a_rejection_sent_together_decide_once()
    {
        for (var i = 0; i < 8; i++)
        {
            var id = $"so-race-{i}";
            Assert.Equal(202, (await Clerk.PostJson($"{Plan}/reports", Report(id, i + 1, "10.1"))).Status);
            var approve = Reviewer.PostJson($"{Plan}/reports/{id}/approve", new { });
            var reject = host.Person("reviewer:shangtang", "副主任 (u-8)").PostJson($"{Plan}/reports/{id}/reject", new { reason = "同时退回" });
            var (approved, rejected) = ((await approve).Status, (await reject).Status);
            Assert.True((approved, rejected) is (201, 409) or (409, 200), $"{id}: approve {approved}, reject {rejected}");
            var state = (await Pending(approved == 201 ? "?state=approved" : "?state=rejected")).Single(x => x!["reportId"].Str() == id)!["state"].Str();
            Assert.Equal(approved == 201 ? "approved" : "rejected", state);
            var counted = (await host.As("viewer").GetOk($"{Plan}/assignments/10.1/shangtang/history")).AsArray().Any(l => l!["reportId"].Str() == id);
            Assert.Equal(approved == 201, counted);
        }
    }

    [Fact]
    public async Task Bad_list_queries_are_refused_by_name()
    {
        AssertProblem(await host.As("viewer").GetJson($"{Plan}/pending?state=maybe"), 400, "state");
        AssertProblem(await host.As("viewer").GetJson($"{Plan}/pending?limit=0"), 400, "limit");
    }
}

/// <summary>
/// Supervision sees counted numbers only: a filing that would complete an assignment leaves it lagging, then overdue
/// with a case at the deadline, and the weekly ranking and the breakdown export at zero; its approval in December makes
/// it done (late) and closes the case.
/// </summary>
public sealed class SignOffSupervisionTests(SignOffApiTests.Host host) : IClassFixture<SignOffApiTests.Host>
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    [Fact]
    public async Task Statuses_cases_rankings_and_exports_use_counted_numbers_only()
    {
        var clerk = host.Person("reporter:shangtang", "王芳 (u-1)");
        var office = host.As("office");
        Assert.Equal(200, (await office.PostJson("/api/v1/admin/clock", new { now = "2024-06-03T10:00:00+08:00" })).Status);
        Assert.Equal(202, (await clerk.PostJson($"{Plan}/reports", new { reportId = "sup-1", taskId = "3.1", unitId = "shangtang", completed = 14 })).Status);

        Assert.Equal(200, (await office.PostJson("/api/v1/admin/clock", new { now = "2024-12-02T10:00:00+08:00" })).Status);
        await host.Settle();
        var alert = (await office.GetOk($"{Plan}/alerts")).AsArray().Single(a => a!["taskId"].Str() == "3.1" && a["unitId"].Str() == "shangtang")!;
        Assert.Equal("overdue", alert["status"].Str());
        var open = (await office.GetOk($"{Plan}/cases?state=open&taskId=3.1&unitId=shangtang")).AsArray();
        Assert.NotEmpty(open);
        var week = await office.GetOk($"{Plan}/rankings/weekly/2024-W49");
        Assert.Contains(week["overdue"]!.AsArray(), a => a!["taskId"].Str() == "3.1" && a["unitId"].Str() == "shangtang" && a["completed"]!.GetValue<long>() == 0);
        Assert.Equal("0/14", await BreakdownCell(office, "3.1", "上塘"));

        var reviewer = host.Person("reviewer:shangtang", "李主任 (u-9)");
        Assert.Equal(201, (await reviewer.PostJson($"{Plan}/reports/sup-1/approve", new { })).Status);
        await host.Settle();
        var street = await office.GetOk($"{Plan}/streets/shangtang");
        var cell = street["assignments"]!.AsArray().Single(a => a!["taskId"].Str() == "3.1")!;
        Assert.Equal(("done", 14L, true), (cell["status"].Str(), cell["completed"]!.GetValue<long>(), cell["late"]!.GetValue<bool>()));
        Assert.Empty((await office.GetOk($"{Plan}/cases?state=open&taskId=3.1&unitId=shangtang")).AsArray());
        Assert.Equal("14/14", await BreakdownCell(office, "3.1", "上塘"));
    }

    /// <summary>The cell of the breakdown export (CSV) in the row of <paramref name="task"/> and the column of <paramref name="street"/>.</summary>
    private static async Task<string> BreakdownCell(HttpClient office, string task, string street)
    {
        var rows = (await office.GetStringAsync($"{Plan}/exports/breakdown?format=csv")).Split('\n').Select(Fields).ToList();
        var header = rows.First(r => r.Contains("区本级"));
        return rows.Single(r => r.Count > 0 && r[0] == task)[header.IndexOf(street)];
    }

    private static List<string> Fields(string line)
    {
        var (fields, field, quoted) = (new List<string>(), new System.Text.StringBuilder(), false);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else if (c != '\r') field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
