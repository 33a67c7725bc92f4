using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>A published weekly ranking and monthly evaluation survive a restart unchanged, and are not published twice.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReviewsDurabilityTests
{
    private static string JsonCanonical(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.Canonical();

    private const string Plan = "/api/v1/plans/gongshu-2024";

    [Fact]
    public async Task Published_reviews_are_identical_after_a_restart_and_later_reports()
    {
        var db = await TestPostgres.CreateDatabase();
        await using var silo = TestSilos.Process(db, new Dictionary<string, string> { ["Minsheng:Clock:Mode"] = "Simulated" });
        await silo.Start();
        using var office = silo.As("office");
        Assert.Equal(200, (await office.PostJson("/api/v1/admin/clock", new { now = "2024-03-01T10:00:00+08:00" })).Status);
        Assert.Equal(201, (await silo.As("street:tianshui").PostJson($"{Plan}/reports", new { reportId = "rv-1", taskId = "3.1", unitId = "tianshui", completed = 4 })).Status);
        Assert.Equal(200, (await office.PostJson("/api/v1/admin/clock", new { now = "2024-04-01T09:00:00+08:00" })).Status);
        var w10 = (await office.GetOk($"{Plan}/rankings/weekly/2024-W10")).Canonical();
        var march = (await office.GetOk($"{Plan}/evaluations/2024-03")).Canonical();

        // A later report, then a restart (the simulated clock starts over at the plan's start; published reviews stay).
        Assert.Equal(201, (await silo.As("street:tianshui").PostJson($"{Plan}/reports", new { reportId = "rv-2", taskId = "3.1", unitId = "tianshui", completed = 8 })).Status);
        await silo.Stop();
        await silo.Start();
        using var again = silo.As("office");
        Assert.Equal(w10, (await again.GetOk($"{Plan}/rankings/weekly/2024-W10")).Canonical());
        Assert.Equal(march, (await again.GetOk($"{Plan}/evaluations/2024-03")).Canonical());
        // Each review is one row of the review store, published once; the reviews grain keeps no state of its own.
        Assert.Equal(1, await TestPostgres.Scalar(db, "SELECT count(*) FROM minsheng_reviews WHERE kind = 'weekly' AND review_key = '2024-W10'"));
        Assert.Equal(1, await TestPostgres.Scalar(db, "SELECT count(*) FROM minsheng_reviews WHERE kind = 'monthly' AND review_key = '2024-03'"));
        Assert.Equal(w10, JsonCanonical(await TestPostgres.Text(db, "SELECT body FROM minsheng_reviews WHERE kind = 'weekly' AND review_key = '2024-W10'")));
        Assert.Equal(0, await TestPostgres.Scalar(db, "SELECT count(*) FROM orleansstorage WHERE graintypestring LIKE '%reviews%'"));
    }
}
