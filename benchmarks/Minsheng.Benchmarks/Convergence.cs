using System.Diagnostics;
using System.Text.Json;

namespace Minsheng.Benchmarks;

/// <summary>How long after a burst the plan rollup showed exactly what had been acknowledged.</summary>
internal sealed record ConvergenceResult(bool Converged, TimeSpan Lag, int Polls, int FirstPollMismatches, TimeSpan FirstPollLatency, string LastDifference);

internal static class Convergence
{
    /// <summary>
    /// Polls <c>GET …/rollup</c> back to back (no timers) from <paramref name="burstEnd"/> until its ratio equals the
    /// expected ratio and every task metric's Σ completed equals the acknowledged sum, or until <paramref name="limit"/>.
    /// The lag is measured to the arrival of the first matching answer, so it is an upper bound by one poll.
    /// </summary>
    public static async Task<ConvergenceResult> WaitAsync(HttpClient client, string path, string bearer, Expected expected,
        long burstEnd, TimeSpan limit)
    {
        var polls = 0;
        var firstMismatches = -1;
        var firstLatency = TimeSpan.Zero;
        var last = "";
        while (Stopwatch.GetElapsedTime(burstEnd) < limit)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Authorization", bearer);
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            var json = await response.Content.ReadAsByteArrayAsync();
            var latency = Stopwatch.GetElapsedTime(sent);
            polls++;
            if (!response.IsSuccessStatusCode)
            {
                last = $"HTTP {(int)response.StatusCode}";
                continue;
            }
            var (mismatches, difference) = Compare(json, expected);
            if (firstMismatches < 0)
            {
                firstMismatches = mismatches;
                firstLatency = latency;
            }
            if (mismatches == 0) return new ConvergenceResult(true, Stopwatch.GetElapsedTime(burstEnd), polls, firstMismatches, firstLatency, "");
            last = difference;
        }
        return new ConvergenceResult(false, Stopwatch.GetElapsedTime(burstEnd), polls, firstMismatches, firstLatency, last);
    }

    /// <summary>Counts the differences: the plan ratio (1 if it differs) plus each task metric whose Σ completed differs.</summary>
    private static (int Mismatches, string First) Compare(byte[] json, Expected expected)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var mismatches = 0;
        var first = "";
        var ratio = root.GetProperty("ratio").GetDecimal();
        if (ratio != expected.Ratio)
        {
            mismatches++;
            first = $"ratio {ratio} ≠ {expected.Ratio}";
        }
        var seen = 0;
        foreach (var project in root.GetProperty("projects").EnumerateArray())
        foreach (var task in project.GetProperty("tasks").EnumerateArray())
        {
            var taskId = task.GetProperty("id").GetString()!;
            foreach (var metric in task.GetProperty("metrics").EnumerateArray())
            {
                var key = (taskId, metric.GetProperty("id").GetString()!);
                var completed = metric.GetProperty("completed").GetInt64();
                seen++;
                if (expected.Completed.TryGetValue(key, out var want) && want == completed) continue;
                mismatches++;
                if (first.Length == 0) first = $"task {key.taskId}/{key.Item2}: completed {completed} ≠ {want}";
            }
        }
        if (seen != expected.Completed.Count)
        {
            mismatches++;
            if (first.Length == 0) first = $"{seen} task metrics in the rollup, {expected.Completed.Count} expected";
        }
        return (mismatches, first);
    }
}
