using System.Diagnostics;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// Issue 20, item 1: one business clock per cluster. Silos in simulated mode share the clock grain's time (stored in
/// PostgreSQL): a move through one silo is every silo's time, no silo moves it back, and a silo started later, even with
/// an earlier configured start, takes the cluster's time.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterClockTests
{
    private static readonly DateTimeOffset June = DateTimeOffset.Parse("2024-06-03T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Silos_share_one_clock_that_never_moves_back_and_outlives_them()
    {
        var db = await TestPostgres.CreateDatabase();
        var simulated = new Dictionary<string, string> { ["Minsheng:Clock:Mode"] = "Simulated" };
        await using (var a = TestSilos.Process(db, simulated))
        await using (var b = TestSilos.Process(db, simulated))
        {
            await a.Start();
            await b.Start();
            // Both start at the plan's start, 09:00 on 28 Feb 2024: the first silo set the cluster's clock, the second took it.
            var start = DateTimeOffset.Parse("2024-02-28T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(start, await Now(a));
            Assert.Equal(start, await Now(b));

            // Moved through one silo: the other has the same time (the grain tells it; it never serves its own).
            var (status, body) = await a.As("office").PostJson("/api/v1/admin/clock", new { now = "2024-06-03T09:00:00+08:00" });
            Assert.Equal(200, status);
            Assert.Equal(start, DateTimeOffset.Parse(body!["previous"].Str(), System.Globalization.CultureInfo.InvariantCulture));
            var waited = Stopwatch.StartNew();
            while (await Now(b) != June && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
            Assert.Equal(June, await Now(b));

            // Back through the other silo: refused, and neither moved.
            var (back, problem) = await b.As("office").PostJson("/api/v1/admin/clock", new { now = "2024-05-01T09:00:00+08:00" });
            Assert.Equal(422, back);
            Assert.Equal("now", problem!["field"].Str());
            Assert.Equal(June, await Now(a));
            Assert.Equal(June, await Now(b));

            // Both leave the cluster (SIGTERM), so the next silo does not wait for them to be declared dead.
            await b.Stop();
            await a.Stop();
        }

        // Both gone; a new silo configured to start in March takes the cluster's stored time instead.
        var march = new Dictionary<string, string>(simulated) { ["Minsheng:Clock:Start"] = "2024-03-01T09:00:00+08:00" };
        await using var c = TestSilos.Process(db, march);
        await c.Start();
        Assert.Equal(June, await Now(c));
        Assert.Equal(1, await TestPostgres.Scalar(db, "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'clock-v1'"));
    }

    private static async Task<DateTimeOffset> Now(SiloProcess silo) =>
        DateTimeOffset.Parse((await silo.As("office").GetOk("/api/v1/admin/clock"))["now"].Str(), System.Globalization.CultureInfo.InvariantCulture);
}
