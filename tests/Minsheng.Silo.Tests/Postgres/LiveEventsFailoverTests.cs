using System.Diagnostics;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// A silo watching a plan learns at once of what its events grain publishes after moving to another silo, not at its
/// next subscription renewal. The grain's silo is SIGKILLed (its activation ends without a word); the next activation,
/// on the watching silo, starts with no subscriber; the watching silo subscribes again as soon as membership declares
/// the other dead. Renewals are 90 s apart here, so none falls due during the test.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LiveEventsFailoverTests
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    private static Dictionary<string, string> Settings => new()
    {
        // Declared dead in a few seconds (as in the nemesis run).
        ["Minsheng:Cluster:ProbeTimeout"] = "00:00:02",
        ["Minsheng:Cluster:NumMissedProbesLimit"] = "2",
        ["Minsheng:Live:RenewSeconds"] = "90",
    };

    [Fact]
    public async Task When_the_events_grains_silo_is_killed_a_watching_silo_gets_the_next_activations_events_without_waiting_for_a_renewal()
    {
        var db = await TestPostgres.CreateDatabase();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await using var doomed = TestSilos.Process(db, Settings);
        await using var watching = TestSilos.Process(db, Settings);

        // Alone in the cluster, the first silo activates the plan's events grain (and the report's owner).
        await doomed.Start();
        Assert.Equal(201, (await Report(doomed, 1)).Status);
        await watching.Start();
        using var stream = await Open(watching, timeout.Token);
        Assert.Equal("snapshot", (await stream.Next(timeout.Token)).Kind);
        Assert.Equal(201, (await Report(watching, 2)).Status);
        await stream.Until(e => IsProgress(e, 2), timeout.Token);

        await doomed.Kill();
        // Sent again until answered (the owner and the events grain come back on the watching silo once the other is
        // declared dead), as a client does.
        var answered = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await Report(watching, 3)).Status is 200 or 201) break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            Assert.True(answered.Elapsed < TimeSpan.FromSeconds(60), "the report was not answered within 60 s of the kill");
            await Task.Delay(500, timeout.Token);
        }

        using var prompt = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        prompt.CancelAfter(TimeSpan.FromSeconds(15));
        var events = await stream.Until(e => IsProgress(e, 3), prompt.Token);
        Assert.DoesNotContain(events, e => e.Kind is "snapshot" or "resync");
    }

    private static async Task<(int Status, System.Text.Json.Nodes.JsonNode? Body)> Report(SiloProcess silo, long completed)
    {
        using var client = silo.As("street:wulin");
        return await client.PostJson($"{Plan}/reports", new { reportId = $"failover-{completed}", taskId = "3.1", unitId = "wulin", completed });
    }

    private static bool IsProgress(SseEvent e, long completed) =>
        e.Kind == "progress" && e.Data["completed"]!.GetValue<long>() == completed;

    private static Task<SseReader> Open(SiloProcess silo, CancellationToken token)
    {
        var client = silo.As("viewer");
        client.Timeout = Timeout.InfiniteTimeSpan;
        return SseReader.Open(client, $"{Plan}/events", null, token);
    }
}
