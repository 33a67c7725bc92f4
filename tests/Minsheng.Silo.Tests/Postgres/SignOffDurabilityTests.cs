using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// Sign-off in PostgreSQL mode, across SIGKILLs: an acknowledged filing is durable and still counts nowhere; an
/// acknowledged approval is the report log's row with both people; and an approval whose marking of the filing was lost
/// (the silo died between the log's commit and the marking) still reads as approved, cannot be sent back, and is marked
/// by the owner's next activation.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SignOffDurabilityTests : IDisposable
{
    private const string Plan = "/api/v1/plans/gongshu-2024";
    private readonly string _seeds = Directory.CreateTempSubdirectory("minsheng-signoff-pg-").FullName;

    public SignOffDurabilityTests()
    {
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Seeds, "gongshu-2024.plan.json")))!.AsObject();
        plan["signOff"] = true;
        File.WriteAllText(Path.Combine(_seeds, "gongshu-2024.plan.json"), plan.ToJsonString());
    }

    public void Dispose() => Directory.Delete(_seeds, recursive: true);

    private static HttpClient As(SiloProcess silo, string role, string person)
    {
        var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloHost.Token(role, person: person));
        return client;
    }

    private static async Task<long> Completed(SiloProcess silo, string taskId)
    {
        await silo.Settle();
        using var office = silo.As("office");
        var street = await office.GetOk($"{Plan}/streets/shangtang");
        return street["assignments"]!.AsArray().First(a => a!["taskId"].Str() == taskId)!["completed"]!.GetValue<long>();
    }

    [Fact]
    public async Task Filings_and_approvals_survive_a_kill_and_a_lost_marking_is_repaired_from_the_log()
    {
        var db = await TestPostgres.CreateDatabase();
        await using var silo = TestSilos.Process(db, new Dictionary<string, string> { ["Minsheng:Seeds"] = _seeds });
        await silo.Start();
        using (var clerk = As(silo, "reporter:shangtang", "王芳 (u-1)"))
        {
            Assert.Equal(202, (await clerk.PostJson($"{Plan}/reports", new { reportId = "pg-so-1", taskId = "3.1", unitId = "shangtang", completed = 6 })).Status);
            Assert.Equal(202, (await clerk.PostJson($"{Plan}/reports", new { reportId = "pg-so-2", taskId = "6.2", unitId = "shangtang", completed = 2 })).Status);
        }
        await silo.Kill();
        await silo.Start();

        using var reviewer = As(silo, "reviewer:shangtang", "李主任 (u-9)");
        var waiting = (await reviewer.GetOk($"{Plan}/pending?unitId=shangtang")).AsArray().Select(i => i!["reportId"].Str()).ToList();
        Assert.Equal(["pg-so-1", "pg-so-2"], waiting);
        Assert.Equal(0, await Completed(silo, "3.1"));
        Assert.Equal(0, await TestPostgres.Scalar(db, "SELECT count(*) FROM minsheng_report_log WHERE report_id LIKE 'pg-so-%'"));

        Assert.Equal(201, (await reviewer.PostJson($"{Plan}/reports/pg-so-1/approve", new { })).Status);
        Assert.Equal(201, (await reviewer.PostJson($"{Plan}/reports/pg-so-2/approve", new { })).Status);
        await silo.Kill();

        // As if the silo had died between the log's commit and the marking: the filing is still marked pending.
        await TestPostgres.Scalar(db, """
            WITH lost AS (UPDATE minsheng_sign_off SET state = 'pending', reviewer_role = NULL, reviewer = NULL, reviewed_at = NULL
                          WHERE report_id = 'pg-so-2' RETURNING 1) SELECT count(*) FROM lost
            """);
        await silo.Start();
        using var again = As(silo, "reviewer:shangtang", "李主任 (u-9)");
        Assert.Equal(6, await Completed(silo, "3.1"));
        Assert.Empty((await again.GetOk($"{Plan}/pending")).AsArray());
        var approved = (await again.GetOk($"{Plan}/pending?state=approved")).AsArray();
        Assert.Equal(["pg-so-1", "pg-so-2"], approved.Select(i => i!["reportId"].Str()));
        Assert.All(approved, i => Assert.Equal("李主任 (u-9)", i!["reviewer"].Str()));
        var (refused, problem) = await again.PostJson($"{Plan}/reports/pg-so-2/reject", new { reason = "晚了" });
        Assert.True(refused == 409, problem.Canonical());

        // The owner's activation (the refusal above woke it) marked the row from the log.
        Assert.Equal("approved", await TestPostgres.Text(db, "SELECT state FROM minsheng_sign_off WHERE report_id = 'pg-so-2'"));
        var line = (await again.GetOk($"{Plan}/assignments/6.2/shangtang/history")).AsArray().Single()!;
        Assert.Equal(("王芳 (u-1)", "李主任 (u-9)"), (line["person"].Str(), line["signOff"]!["reviewer"].Str()));
        Assert.Equal(1, await TestPostgres.Scalar(db, "SELECT count(*) FROM minsheng_report_log WHERE report_id = 'pg-so-2' AND body -> 'signOff' ->> 'reporter' = '王芳 (u-1)'"));
    }
}
