using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;
using Xunit.Abstractions;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// Issue 20, item 4: a silo that gets SIGTERM leaves gracefully. Requests it already took are answered (no 5xx), new
/// connections are refused rather than taken, its streams end so clients resume on another silo from their last id
/// without a resync, it marks itself dead in the membership table (so no peer waits for probes to find out), and it
/// exits with 0 inside the shutdown timeout.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GracefulLeaveTests(ITestOutputHelper output)
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    [Fact]
    public async Task A_silo_given_sigterm_answers_what_it_took_hands_back_its_streams_and_leaves_the_cluster()
    {
        var db = await TestPostgres.CreateDatabase();
        var events = new Dictionary<string, string> { ["Logging:LogLevel:Minsheng.Grains.Events"] = "Information" };
        await using var a = TestSilos.Process(db, events);
        await using var b = TestSilos.Process(db, events);
        await a.Start();
        await b.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var viewer = a.As("viewer");
        viewer.Timeout = Timeout.InfiniteTimeSpan;
        using var onA = await SseReader.Open(viewer, $"{Plan}/events", null, timeout.Token);
        var seen = new List<SseEvent> { await onA.Next(timeout.Token) };
        Assert.Equal("snapshot", seen[0].Kind);

        // Reporters keep posting to the leaving silo; each report is answered or refused at the door, never failed.
        var answers = new ConcurrentBag<int>();
        var refusedAtTheDoor = 0;
        using var stopReporting = new CancellationTokenSource();
        var streets = new[] { "tianshui", "shangtang", "wulin", "xiangfu", "changqing", "banshan", "chaoming", "kangqiao" };
        var reporting = Task.WhenAll(streets.Select(street => Task.Run(async () =>
        {
            using var client = a.As($"street:{street}");
            for (var n = 1; !stopReporting.IsCancellationRequested; n++)
            {
                try
                {
                    using var response = await client.PostAsJsonAsync($"{Plan}/reports", new { reportId = $"leave-{street}-{n}", taskId = "3.1", unitId = street, completed = n });
                    answers.Add((int)response.StatusCode);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref refusedAtTheDoor);
                    return; // the silo is gone: this clerk would go to another one
                }
            }
        })));
        await Poll.Until(() => Task.FromResult(answers.Count), count => count >= 40, "reports to be answered before the SIGTERM", TimeSpan.FromSeconds(30));

        var leaving = System.Diagnostics.Stopwatch.StartNew();
        await a.Terminate();
        // The stream ends (it is not cut by the process dying): everything before the end is intact.
        try
        {
            while (true) seen.Add(await onA.Next(timeout.Token));
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or HttpRequestException) { }
        var streamEnded = leaving.Elapsed;
        Assert.True(await a.WaitForExit(TimeSpan.FromSeconds(40)), "the silo did not exit inside its shutdown timeout");
        var exited = leaving.Elapsed;
        stopReporting.Cancel();
        await reporting;
        output.WriteLine($"stream ended after {streamEnded.TotalSeconds:F1} s, exited after {exited.TotalSeconds:F1} s with {a.ExitCode}; " +
            $"{answers.Count} answers ({string.Join(", ", answers.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}"))}), {refusedAtTheDoor} clerks refused at the door");
        foreach (var line in a.Log.Split('\n').Concat(b.Log.Split('\n')).Where(l => l.Contains("Events of", StringComparison.Ordinal) || l.Contains("Handing", StringComparison.Ordinal)))
            output.WriteLine(line);
        Assert.Equal(0, a.ExitCode);
        Assert.All(answers, status => Assert.Equal(201, status));

        // It left the cluster: its own row says dead (6), written by itself before it exited.
        Assert.Equal(6, await TestPostgres.Scalar(db, string.Create(CultureInfo.InvariantCulture,
            $"SELECT status FROM OrleansMembershipTable WHERE port = {a.SiloPort} ORDER BY generation DESC LIMIT 1")));
        Assert.Equal(3, await TestPostgres.Scalar(db, string.Create(CultureInfo.InvariantCulture,
            $"SELECT status FROM OrleansMembershipTable WHERE port = {b.SiloPort} ORDER BY generation DESC LIMIT 1")));

        // The client resumes on the other silo from its last id: no resync, and what comes next arrives.
        var last = seen.Last(e => e.Id is not null).Id!;
        var onBClient = b.As("viewer");
        onBClient.Timeout = Timeout.InfiniteTimeSpan;
        using var onB = await SseReader.Open(onBClient, $"{Plan}/events", last, timeout.Token);
        Assert.Equal(201, (await b.As("street:wulin").PostJson($"{Plan}/reports", new { reportId = "leave-after", taskId = "4.2", unitId = "wulin", completed = 1 })).Status);
        var resumed = await onB.Until(e => e.Kind == "progress" && e.Data["reportId"].Str() == "leave-after", timeout.Token);
        Assert.DoesNotContain(resumed, e => e.Kind is "resync" or "snapshot");

        // Every answered report is in the log once.
        Assert.Equal(answers.Count + 1, await TestPostgres.Scalar(db, "SELECT count(*) FROM minsheng_report_log WHERE report_id LIKE 'leave-%'"));
    }
}
