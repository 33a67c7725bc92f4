using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// Issue 20, item 2: event ids mean the same on every silo. Two silo processes on one PostgreSQL: a client that read
/// part of the stream on one silo resumes on the other with its Last-Event-ID and gets exactly the rest, in order, under
/// the same ids; after both restart, numbering goes on from higher numbers in the same epoch.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterEventIdsTests
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    [Fact]
    public async Task A_client_resumes_on_another_silo_with_the_same_ids_and_numbering_outlives_a_restart()
    {
        var db = await TestPostgres.CreateDatabase();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string lastBeforeRestart;
        await using (var a = TestSilos.Process(db))
        await using (var b = TestSilos.Process(db))
        {
            await a.Start();
            await b.Start();
            using var onA = await Open(a, null, timeout.Token);
            Assert.Equal("snapshot", (await onA.Next(timeout.Token)).Kind);
            for (var n = 1; n <= 6; n++)
                Assert.Equal(201, (await (n % 2 == 0 ? a : b).As("street:wulin").PostJson($"{Plan}/reports",
                    new { reportId = $"ids-{n}", taskId = "3.1", unitId = "wulin", completed = n })).Status);
            var seenOnA = (await onA.Until(e => IsProgress(e, 6), timeout.Token)).Where(e => e.Id is not null).ToList();
            var cut = seenOnA.FindIndex(e => IsProgress(e, 2));

            // Dropped after the report of 2; reconnects through the other silo, which never had a stream of this plan.
            using var onB = await Open(b, seenOnA[cut].Id, timeout.Token);
            var rest = await onB.Until(e => IsProgress(e, 6), timeout.Token);
            Assert.DoesNotContain(rest, e => e.Kind is "snapshot" or "resync");
            Assert.Equal(seenOnA.Skip(cut + 1).Select(e => (e.Id, e.Kind)), rest.Select(e => (e.Id, e.Kind)));
            Assert.Equal([3L, 4L, 5L, 6L], rest.Where(e => e.Kind == "progress").Select(e => e.Data["completed"]!.GetValue<long>()));
            lastBeforeRestart = seenOnA[^1].Id!;
            await b.Stop();
            await a.Stop();
        }

        // Both left and a new silo starts: the events are in the plan's journal in PostgreSQL, so the client resumes
        // with no resync, and numbers go on in the same epoch.
        await using (var c = TestSilos.Process(db))
        {
            await c.Start();
            using var onC = await Open(c, lastBeforeRestart, timeout.Token);
            Assert.Equal(201, (await c.As("street:wulin").PostJson($"{Plan}/reports", new { reportId = "ids-7", taskId = "3.1", unitId = "wulin", completed = 7 })).Status);
            var resumed = await onC.Until(e => IsProgress(e, 7), timeout.Token);
            Assert.DoesNotContain(resumed, e => e.Kind is "snapshot" or "resync");
            var lastOnC = resumed[^1].Id!;
            Assert.Equal(Epoch(lastBeforeRestart), Epoch(lastOnC));
            Assert.True(Number(lastOnC) > Number(lastBeforeRestart), $"{lastOnC} after {lastBeforeRestart}");
        }
    }

    private static bool IsProgress(SseEvent e, long completed) =>
        e.Kind == "progress" && e.Data["completed"]!.GetValue<long>() == completed;

    private static string Epoch(string id) => id.Split('-')[0];

    private static long Number(string id) => long.Parse(id.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static Task<SseReader> Open(SiloProcess silo, string? lastEventId, CancellationToken token)
    {
        var client = silo.As("viewer");
        client.Timeout = Timeout.InfiniteTimeSpan;
        return SseReader.Open(client, $"{Plan}/events", lastEventId, token);
    }
}
