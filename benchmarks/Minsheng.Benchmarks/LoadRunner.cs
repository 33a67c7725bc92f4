using System.Diagnostics;
using System.Net;

namespace Minsheng.Benchmarks;

/// <summary>What a phase sends: each worker asks for its next request and judges the answer.</summary>
internal interface IWorkload
{
    /// <summary>The next request of <paramref name="worker"/>, or null when it has nothing (left) to send.</summary>
    HttpRequestMessage? Next(int worker);

    /// <summary>Called with the answer to the worker's last request; true when it counts as a success.</summary>
    bool Complete(int worker, HttpStatusCode status, byte[] body);
}

/// <summary>One phase's result: successes, failures by status, wall time and the latency of every answer.</summary>
internal sealed class PhaseResult(string name, long ok, IReadOnlyDictionary<string, long> failures, TimeSpan elapsed, long[] latencyTicks)
{
    public string Name { get; } = name;

    public long Ok { get; } = ok;

    public IReadOnlyDictionary<string, long> Failures { get; } = failures;

    public TimeSpan Elapsed { get; } = elapsed;

    public double Rate => Ok / Elapsed.TotalSeconds;

    public long Failed => Failures.Values.Sum();

    /// <summary>Latency percentile in milliseconds over every answered request.</summary>
    public double PercentileMs(double p)
    {
        if (latencyTicks.Length == 0) return double.NaN;
        var index = (int)Math.Clamp(Math.Ceiling(p / 100 * latencyTicks.Length) - 1, 0, latencyTicks.Length - 1);
        return latencyTicks[index] * 1000.0 / Stopwatch.Frequency;
    }

    public string FailureText => Failed == 0 ? "none" : string.Join(", ", Failures.Select(f => $"{f.Key}×{f.Value}"));
}

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each keep one request in flight until a Stopwatch deadline
/// or a request budget is reached (never a timer: on a saturated machine timers fire late).
/// </summary>
internal sealed class LoadRunner(HttpClient client, int concurrency)
{
    /// <summary>Successful answers so far in the running phase (read by samplers while it runs).</summary>
    public long LiveOk => Interlocked.Read(ref _liveOk);

    private long _liveOk;

    /// <summary>Sets <see cref="LiveOk"/> to zero before a sampler starts watching the next phase.</summary>
    public void ResetLive() => Interlocked.Exchange(ref _liveOk, 0);

    public async Task<PhaseResult> RunAsync(string name, IWorkload workload, TimeSpan duration, long maxRequests)
    {
        Interlocked.Exchange(ref _liveOk, 0);
        long issued = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            var failures = new Dictionary<string, long>();
            while (clock.Elapsed < duration && Interlocked.Increment(ref issued) <= maxRequests)
            {
                using var request = workload.Next(w);
                if (request is null) break;
                var sent = Stopwatch.GetTimestamp();
                string? failure = null;
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (!workload.Complete(w, response.StatusCode, body)) failure = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (HttpRequestException e)
                {
                    failure = "http:" + (e.HttpRequestError.ToString());
                }
                catch (TaskCanceledException)
                {
                    failure = "timeout";
                }
                latencies.Add(Stopwatch.GetTimestamp() - sent);
                if (failure is null) Interlocked.Increment(ref _liveOk);
                else failures[failure] = failures.GetValueOrDefault(failure) + 1;
            }
            return (latencies, failures);
        })).ToArray();
        var results = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;

        var all = results.SelectMany(r => r.latencies).ToArray();
        Array.Sort(all);
        var failed = new Dictionary<string, long>();
        foreach (var (_, f) in results)
            foreach (var (key, count) in f)
                failed[key] = failed.GetValueOrDefault(key) + count;
        return new PhaseResult(name, LiveOk, failed, elapsed, all);
    }
}
