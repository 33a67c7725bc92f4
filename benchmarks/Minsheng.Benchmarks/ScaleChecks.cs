using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Minsheng.Domain.Plans;

namespace Minsheng.Benchmarks;

/// <summary>Latency from a report's acknowledgement until a rollup shows it, p50/p99 over the probes.</summary>
internal sealed record LatencyResult(string Name, double[] Ms, int Failed, string? FirstFailure)
{
    public double P(double p)
    {
        if (Ms.Length == 0) return double.NaN;
        var sorted = Ms.Order().ToArray();
        return sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>What the exactness check found: plans and regions read, and every difference.</summary>
internal sealed record ExactnessResult(int Plans, int Regions, IReadOnlyList<string> Mismatches, TimeSpan Took)
{
    public bool Exact => Mismatches.Count == 0;
}

/// <summary>The ack → rollup probes, the settling of uncertain reports and the exactness check of a scale run.</summary>
internal static class ScaleChecks
{
    /// <summary>
    /// One report at a time, each chosen so that its plan's ratio as shown (6 decimals) changes; then the plan rollup
    /// (<c>?after=position</c>, then plain polls) or the region rollup (back-to-back polls) until it shows the new ratio.
    /// Latency = the first answer showing it − the 201's arrival. Probes alternate between the two.
    /// </summary>
    public static async Task<(LatencyResult Plan, LatencyResult Region)> ProbeAsync(HttpClient client, ScaleState state, int probes, string run,
        TimeSpan perProbeLimit, bool useAfter)
    {
        var world = state.World;
        var random = new Random(17);
        var plan = new List<double>();
        var region = new List<double>();
        int planFailed = 0, regionFailed = 0;
        string? planFailure = null, regionFailure = null;
        var sequence = 0;
        var candidates = world.Plans.Where(p => p.RegionId is not null).ToList();
        if (candidates.Count == 0) return (new LatencyResult("ack → plan rollup", [], 0, "no plan in a region"), new LatencyResult("ack → region rollup", [], 0, "no plan in a region"));
        for (var i = 0; i < probes; i++)
        {
            var toRegion = i % 2 == 1;
            var picked = Pick(state, candidates, random);
            if (picked is null)
            {
                Fail(toRegion, "no assignment left whose report changes its plan's shown ratio");
                break;
            }
            var (cell, completed, expected) = picked.Value;
            var body = cell.Body($"probe-{run}-{++sequence}", completed);
            using var post = ReportWorkload.Post(cell.Plan.ReportsPath, cell.Bearer, body);
            HttpResponseMessage response;
            try { response = await client.SendAsync(post); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                cell.Uncertain = body;
                cell.LastSent = Math.Max(cell.LastSent, completed);
                Fail(toRegion, $"POST failed: {e.Message}");
                continue;
            }
            var acked = Stopwatch.GetTimestamp();
            var answer = await response.Content.ReadAsStringAsync();
            cell.LastSent = Math.Max(cell.LastSent, completed);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                if ((int)response.StatusCode >= 500) cell.Uncertain = body;
                Fail(toRegion, $"POST answered {(int)response.StatusCode}: {Short(answer)}");
                response.Dispose();
                continue;
            }
            response.Dispose();
            cell.Acknowledged = Math.Max(cell.Acknowledged, completed);
            long? position = null;
            using (var doc = JsonDocument.Parse(answer))
                if (doc.RootElement.TryGetProperty("position", out var p) && p.ValueKind == JsonValueKind.Number) position = p.GetInt64();

            var deadline = Stopwatch.GetTimestamp() + (long)(perProbeLimit.TotalSeconds * Stopwatch.Frequency);
            var first = true;
            string last = "";
            var shown = false;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var path = toRegion
                    ? $"api/v1/regions/{Uri.EscapeDataString(cell.Plan.RegionId!)}/rollup"
                    : cell.Plan.RollupPath + (first && useAfter && position is { } at ? $"?after={at}" : "");
                first = false;
                var (status, json) = await Get(client, path, world.Office);
                if (status != HttpStatusCode.OK)
                {
                    last = $"HTTP {(int)status}: {Short(json)}";
                    continue;
                }
                var ratio = toRegion ? RegionRatio(json, cell.Plan.Id) : PlanRatio(json);
                if (ratio == expected)
                {
                    (toRegion ? region : plan).Add(Stopwatch.GetElapsedTime(acked).TotalMilliseconds);
                    shown = true;
                    break;
                }
                last = $"ratio {ratio} ≠ {expected}";
            }
            if (!shown) Fail(toRegion, $"not shown within {perProbeLimit.TotalSeconds:0} s ({last})");
        }
        return (new LatencyResult("ack → plan rollup", [.. plan], planFailed, planFailure), new LatencyResult("ack → region rollup", [.. region], regionFailed, regionFailure));

        void Fail(bool toRegion, string why)
        {
            if (toRegion) { regionFailed++; regionFailure ??= why; }
            else { planFailed++; planFailure ??= why; }
        }
    }

    /// <summary>An assignment of a random plan whose report (one more, or up to its target) changes the plan's shown ratio.</summary>
    private static (Cell Cell, long Completed, decimal Expected)? Pick(ScaleState state, List<ScalePlan> plans, Random random)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var plan = plans[random.Next(plans.Count)];
            var cells = state.ByPlan[plan.Id];
            var before = state.Expect(plan).Ratio.Rounded();
            foreach (var cell in cells.Where(c => c.LastSent < c.Target && c.Uncertain is null).OrderBy(_ => random.Next()).Take(8))
            {
                foreach (var completed in new[] { cell.LastSent + 1, cell.Target })
                {
                    var saved = cell.Acknowledged;
                    cell.Acknowledged = completed;
                    var after = state.Expect(plan).Ratio.Rounded();
                    cell.Acknowledged = saved;
                    if (after != before) return (cell, completed, after);
                }
            }
        }
        return null;
    }

    /// <summary>Sends every report whose outcome is unknown again (same reportId and body) until it is answered.</summary>
    public static async Task<(int Settled, int Unsettled)> SettleAsync(HttpClient client, ScaleState state)
    {
        int settled = 0, unsettled = 0;
        foreach (var cell in state.All.Where(c => c.Uncertain is not null).ToList())
        {
            var done = false;
            for (var attempt = 0; attempt < 5 && !done; attempt++)
            {
                try
                {
                    using var request = ReportWorkload.Post(cell.Plan.ReportsPath, cell.Bearer, cell.Uncertain!);
                    using var response = await client.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        using var doc = JsonDocument.Parse(text);
                        cell.Acknowledged = Math.Max(cell.Acknowledged, doc.RootElement.GetProperty("completed").GetInt64());
                        done = true;
                    }
                    else if ((int)response.StatusCode < 500) done = true; // Refused for good (e.g. lower than a later report): not accepted.
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            }
            if (done)
            {
                cell.Uncertain = null;
                settled++;
            }
            else unsettled++;
        }
        return (settled, unsettled);
    }

    /// <summary>
    /// Reads every plan rollup and every region rollup and compares them with what the benchmark computed from the counts
    /// it posted (<see cref="ExactRollup"/>): every project, task and task-metric ratio and count; in a region every plan's
    /// ratio, its rank (1 + plans with a strictly higher exact ratio) and the order (rank, then plan id); and, for the
    /// service, each region line's status counts against its plan rollup's. Polls until exact or the limit (the service
    /// may still be passing the last messages on); what still differs then is a mismatch.
    /// </summary>
    public static async Task<ExactnessResult> CheckAsync(HttpClient client, ScaleState state, TimeSpan limit, bool counts)
    {
        var clock = Stopwatch.StartNew();
        var world = state.World;
        var mismatches = new List<string>();
        var expected = world.Plans.ToDictionary(p => p.Id, state.Expect, StringComparer.Ordinal);
        var planCounts = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        // A hard bound for a silo too slow to answer every rollup: plans not read by then are counted, and fail the run
        // (exactness not established is not exactness).
        var hardLimit = limit * 3;
        var unread = 0;
        await Parallel.ForEachAsync(world.Plans, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (plan, _) =>
        {
            if (clock.Elapsed > hardLimit)
            {
                Interlocked.Increment(ref unread);
                return;
            }
            List<string> last = ["never read"];
            while (true)
            {
                var (status, json) = await Get(client, plan.RollupPath, world.Office);
                if (status == HttpStatusCode.OK)
                {
                    using var doc = JsonDocument.Parse(json);
                    last = ExactRollup.Compare(doc.RootElement, expected[plan.Id]);
                    if (counts && doc.RootElement.TryGetProperty("counts", out var c)) planCounts[plan.Id] = c.GetRawText();
                }
                else last = [$"HTTP {(int)status}: {Short(json)}"];
                if (last.Count == 0 || clock.Elapsed > limit) break;
                await Task.Delay(200);
            }
            if (last.Count > 0)
                lock (mismatches) mismatches.Add($"plan {plan.Id}: {string.Join("; ", last.Take(3))}{(last.Count > 3 ? $" (+{last.Count - 3} more)" : "")}");
        });

        if (unread > 0) mismatches.Add($"{unread:#,0} plan rollups not read within {hardLimit.TotalSeconds:0} s (the check's bound): not shown exact");
        foreach (var regionId in world.RegionIds)
        {
            if (clock.Elapsed > hardLimit)
            {
                mismatches.Add($"region {regionId}: not read within {hardLimit.TotalSeconds:0} s (the check's bound)");
                continue;
            }
            var plans = world.Regions[regionId];
            var want = plans.Select(p => (p.Id, Ratio: expected[p.Id].Ratio))
                .Select(p => (p.Id, Shown: p.Ratio.Rounded(), Rank: 1 + plans.Count(o => expected[o.Id].Ratio.CompareTo(p.Ratio) > 0)))
                .OrderBy(p => p.Rank).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
            List<string> last = ["never read"];
            while (true)
            {
                var (status, json) = await Get(client, $"api/v1/regions/{Uri.EscapeDataString(regionId)}/rollup", world.Office);
                last = status == HttpStatusCode.OK ? CompareRegion(json, want, counts ? planCounts : null) : [$"HTTP {(int)status}: {Short(json)}"];
                if (last.Count == 0 || clock.Elapsed > limit) break;
                await Task.Delay(200);
            }
            if (last.Count > 0) mismatches.Add($"region {regionId}: {string.Join("; ", last.Take(3))}{(last.Count > 3 ? $" (+{last.Count - 3} more)" : "")}");
        }
        return new ExactnessResult(world.Plans.Count, world.RegionIds.Length, mismatches, clock.Elapsed);
    }

    private static List<string> CompareRegion(string json, List<(string Id, decimal Shown, int Rank)> want, IReadOnlyDictionary<string, string>? planCounts)
    {
        var differences = new List<string>();
        using var doc = JsonDocument.Parse(json);
        var got = doc.RootElement.GetProperty("plans").EnumerateArray().ToList();
        if (got.Count != want.Count) differences.Add($"{got.Count} plans listed, {want.Count} expected");
        for (var i = 0; i < Math.Min(got.Count, want.Count); i++)
        {
            var g = got[i];
            var (id, ratio, rank) = (g.GetProperty("planId").GetString()!, g.GetProperty("ratio").GetDecimal(), g.GetProperty("rank").GetInt32());
            if (id != want[i].Id || ratio != want[i].Shown || rank != want[i].Rank)
                differences.Add($"line {i + 1}: ({id}, {ratio}, rank {rank}) ≠ ({want[i].Id}, {want[i].Shown}, rank {want[i].Rank})");
            if (planCounts is not null && g.TryGetProperty("counts", out var c) && planCounts.TryGetValue(id, out var pc) && !JsonEquals(c.GetRawText(), pc))
                differences.Add($"{id}: counts {c.GetRawText()} ≠ its plan rollup's {pc}");
        }
        return differences;
    }

    private static bool JsonEquals(string a, string b)
    {
        using var x = JsonDocument.Parse(a);
        using var y = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(x.RootElement, y.RootElement);
    }

    private static decimal? PlanRatio(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("ratio").GetDecimal();
    }

    private static decimal? RegionRatio(string json, string planId)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.GetProperty("plans").EnumerateArray())
            if (p.GetProperty("planId").GetString() == planId) return p.GetProperty("ratio").GetDecimal();
        return null;
    }

    public static async Task<(HttpStatusCode Status, string Body)> Get(HttpClient client, string path, string bearer)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Authorization", bearer);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, e.Message);
        }
    }

    public static string Short(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
