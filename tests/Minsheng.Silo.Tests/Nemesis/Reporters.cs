using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.Nemesis;

/// <summary>One assignment metric and the role that reports it.</summary>
public sealed record Assignment(string Task, string Unit, string Metric, string Role)
{
    public static IReadOnlyList<Assignment> Of(JsonNode plan) => [.. plan["tasks"]!.AsArray()
        .SelectMany(t => t!["assignments"]!.AsArray().Select(a => new Assignment(t["id"].Str(), a!["unitId"].Str(), a["metricId"].Str(),
            a["unitId"].Str() == "district" ? $"department:{t["leadDepartment"].Str()}" : $"street:{a["unitId"].Str()}")))];
}

/// <summary>A report the service acknowledged (201, or 200 for a retry answered with the first answer).</summary>
public sealed record Acknowledged(string ReportId, Assignment Assignment, long Completed, int Attempts, DateTime FirstSentAt, DateTime AckedAt);

/// <summary>
/// Every unit reporting continuously through the one address, as the README tells a client to: the cumulative count
/// with a reportId of its own, and, when the answer does not come (connection refused or reset, timeout, 5xx, 429), the
/// same reportId with the same body again after a growing pause, until it is answered. One loop per worker, each over
/// its share of the assignments in turn; a report that is refused for a reason of its own (any other 4xx) is a failure.
/// </summary>
public sealed class Reporters(NemesisCluster cluster, IReadOnlyList<Assignment> assignments, int workers)
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    public ConcurrentDictionary<string, Acknowledged> Acknowledged { get; } = new();

    public ConcurrentQueue<string> Refusals { get; } = new();

    private int _retries;

    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Reports until <paramref name="stop"/> is cancelled; a report in flight then is still retried until answered.</summary>
    public Task Run(CancellationToken stop) => Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => Worker(w, stop))));

    private async Task Worker(int worker, CancellationToken stop)
    {
        var mine = assignments.Where((_, i) => i % workers == worker).ToList();
        var counts = new long[mine.Count];
        var clients = mine.Select(a => a.Role).Distinct().ToDictionary(r => r, r => cluster.Client(r, TimeSpan.FromSeconds(15)));
        var random = new Random(worker);
        try
        {
            for (var round = 1; !stop.IsCancellationRequested; round++)
                for (var i = 0; i < mine.Count && !stop.IsCancellationRequested; i++)
                {
                    var a = mine[i];
                    counts[i] += random.Next(1, 4);
                    var id = $"n{round}-{a.Task}-{a.Unit}-{a.Metric}";
                    var sent = DateTime.UtcNow;
                    var attempts = await Send(clients[a.Role], id, a, counts[i]);
                    if (attempts > 0) Acknowledged[id] = new Acknowledged(id, a, counts[i], attempts, sent, DateTime.UtcNow);
                    await Task.Delay(random.Next(5, 40), CancellationToken.None);
                }
        }
        finally
        {
            foreach (var client in clients.Values) client.Dispose();
        }
    }

    /// <summary>Sends until answered; the number of attempts, or 0 when refused.</summary>
    private async Task<int> Send(HttpClient client, string id, Assignment a, long completed)
    {
        var body = new { reportId = id, taskId = a.Task, unitId = a.Unit, metricId = a.Metric, completed };
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (1 << Math.Min(attempt, 5)))));
            }
            try
            {
                using var response = await client.PostAsJsonAsync($"{Plan}/reports", body);
                var status = (int)response.StatusCode;
                if (status is 200 or 201) return attempt;
                if (status is 429 or >= 500) continue;
                Refusals.Enqueue($"{id}: {status} {await response.Content.ReadAsStringAsync()}");
                return 0;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { } // The client's timeout: unanswered, so sent again.
        }
    }
}
