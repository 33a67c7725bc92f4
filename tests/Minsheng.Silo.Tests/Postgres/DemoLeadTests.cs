using System.Globalization;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// Issue 20, item 1: demo mode drives the cluster's one clock once. Two silos in demo mode on one database: one plays
/// the year, the other waits; when the player is killed, the other takes over from the cluster's time and the clock
/// goes on forward.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DemoLeadTests
{
    private const string Drives = "this silo drives the demo";
    private const string Waits = "another silo drives the demo";

    [Fact]
    public async Task One_silo_plays_the_demo_and_another_takes_over_when_it_dies()
    {
        var db = await TestPostgres.CreateDatabase();
        var demo = new Dictionary<string, string>
        {
            ["Minsheng:Demo:Enabled"] = "true",
            ["Minsheng:Demo:AllowPostgres"] = "true",
            ["Minsheng:Demo:Interval"] = "00:00:00.300",
            ["Logging:LogLevel:Minsheng.Demo"] = "Information",
        };
        await using var a = TestSilos.Process(db, demo);
        await using var b = TestSilos.Process(db, demo);
        await a.Start();
        await b.Start();

        await Poll.Until(() => Task.FromResult(Count(a, Drives) + Count(b, Drives)), n => n >= 1, "a silo to drive the demo", TimeSpan.FromSeconds(60));
        var (leader, other) = Count(a, Drives) > 0 ? (a, b) : (b, a);
        await Poll.Until(() => Task.FromResult(Count(other, Waits)), n => n >= 1, "the other silo to wait", TimeSpan.FromSeconds(30));
        var before = await Now(other);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, Count(other, Drives));
        // One driver: one step of a day per 0.3 s at most (two would move it about twice as far).
        var moved = (await Now(other) - before).TotalDays;
        Assert.True(moved is > 0 and <= 13, $"the clock moved {moved:F1} days in 3 s");

        await leader.Kill();
        await Poll.Until(() => Task.FromResult(Count(other, Drives)), n => n >= 1, "the other silo to take the demo over", TimeSpan.FromSeconds(60));
        var takenOver = await Now(other);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(await Now(other) > takenOver, "the clock did not move after the take-over");
        Assert.True(takenOver >= before);
    }

    private static int Count(SiloProcess silo, string text) =>
        silo.Log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    private static async Task<DateTimeOffset> Now(SiloProcess silo) =>
        DateTimeOffset.Parse((await silo.As("office").GetOk("/api/v1/admin/clock"))["now"].Str(), CultureInfo.InvariantCulture);
}
