using System.Globalization;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Hosting.Auth;
using Minsheng.Testing;

namespace Minsheng.Benchmarks;

/// <summary>A measured phase: its result and the CPU spent while it ran.</summary>
internal sealed record Measured(PhaseResult Result, CpuSnapshot Cpu)
{
    public double Rate => Result.Rate;

    public double SiloUsPerOk => Cpu.Silo.TotalMicroseconds / Result.Ok;

    public double DbUsPerOk => Cpu.Db.TotalMicroseconds / Result.Ok;

    public double Cores(TimeSpan cpu) => cpu.TotalSeconds / Result.Elapsed.TotalSeconds;
}

/// <summary>What one storage mode measured.</summary>
internal sealed record ModeResult(
    string Mode,
    Measured Baseline,
    Measured? BareInsert,
    Measured Posts,
    (double FirstRate, double SecondRate, double FirstCpuUs, double SecondCpuUs) Halves,
    double DrainSiloUsPerReport,
    ConvergenceResult Convergence,
    TimedGet AlertsAfterBurst,
    TimedGet AlertsIdle,
    Measured Retries,
    Measured Rollups,
    LiveResults? Live,
    IsolationResult? Isolation,
    IReadOnlyList<string> Notes);

internal sealed record LiveResults(LiveLatencyResult Sequential, LiveLatencyResult Concurrent, double ConcurrentOthersCores);

/// <summary>
/// One storage mode, start to end: a fresh silo (and in PostgreSQL mode a fresh throwaway server), then the same-run
/// baseline GET /health/live, in PostgreSQL mode the bare durable INSERT, the new-report burst, convergence after it,
/// retries, plan rollup reads and (memory mode) live-event latency.
/// </summary>
internal static class ModeBenchmark
{
    public const string PlanId = "gongshu-2024";
    private const int LivePosters = 16;
    private const long LiveMaxReports = 20_000;
    private const long LiveKeepRoom = 1_000;

    public static async Task<ModeResult> RunAsync(string mode, BenchOptions options, string root, string siloDll, string runId)
    {
        Console.WriteLine($"### {mode} mode");
        var keyText = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var key = Encoding.UTF8.GetBytes(keyText);
        var notes = new List<string>();

        await using var db = mode == StorageModes.Postgres ? await StartPostgres(root, options) : null;
        var siloArgs = db is null ? options.SiloArgs
            : [.. options.SiloArgs, "--Minsheng:Storage=Postgres", $"--ConnectionStrings:Minsheng={db.ConnectionString}"];
        if (db is not null) notes.Add($"PostgreSQL: throwaway server in {db.Directory} ({db.Settings}); stopped and deleted at the end.");

        var startClock = Stopwatch.StartNew();
        await using var silo = await SiloStats.StartSilo(siloDll, Path.Combine(root, "seeds"), keyText, TimeSpan.FromSeconds(90), siloArgs, options.SiloEnv);
        Console.WriteLine($"Silo pid {silo.Pid} ready at {silo.BaseAddress} after {startClock.Elapsed.TotalSeconds:0.0} s (RSS {silo.ResidentBytes() / 1048576.0:0} MiB).");
        // Ready is not idle: a silo on the system clock catches up on the year's checkpoints and reviews for some seconds
        // after it starts. Measured phases wait for that, or the baseline pays for it (2 Dec 2026: GET /health/live at
        // 199 µs of silo CPU and 8k/s right after the start, 63 µs and 17k/s once idle).
        var idle = options.IdleWait ? await SiloStats.WaitForIdle(silo, TimeSpan.FromSeconds(90)) : (Reached: false, Waited: TimeSpan.Zero);
        var readyAfter = startClock.Elapsed.TotalSeconds - idle.Waited.TotalSeconds;
        notes.Add(options.IdleWait
            ? string.Create(CultureInfo.InvariantCulture,
                $"Silo ({mode}) ready after {readyAfter:0.0} s, idle (< 0.05 cores over 1 s) {idle.Waited.TotalSeconds:0.0} s later{(idle.Reached ? "" : ", NOT reached within the limit")}.")
            : string.Create(CultureInfo.InvariantCulture, $"Silo ({mode}) ready after {readyAfter:0.0} s, measured at once (--no-idle-wait)."));

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        using var client = new HttpClient(handler) { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var now = DateTimeOffset.UtcNow;
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        string Bearer(string role) => tokens.TryGetValue(role, out var t) ? t
            : tokens[role] = "Bearer " + TokenIssuer.Issue(key, role, TimeSpan.FromHours(2), now,
                district: Caller.IsUnitRole(role, out _, out _) ? "gongshu" : null);
        var office = Bearer("office");

        using var planRequest = new HttpRequestMessage(HttpMethod.Get, $"api/v1/plans/{PlanId}");
        planRequest.Headers.TryAddWithoutValidation("Authorization", office);
        using var planResponse = await client.SendAsync(planRequest);
        planResponse.EnsureSuccessStatusCode();
        var plan = new PlanIndex(PlanJson.Deserialize(await planResponse.Content.ReadAsStringAsync(), $"GET /api/v1/plans/{PlanId}"));
        var assignments = plan.AllAssignments.Select(a => new BenchAssignment(a, Bearer(a.Assignment.UnitId == PlanUnits.District
            ? $"department:{a.Task.LeadDepartment}"
            : $"street:{a.Assignment.UnitId}"))).ToList();

        var runner = new LoadRunner(client, options.Concurrency);
        Task<Measured> Measure(Func<Task<PhaseResult>> run) => MeasureAsync(silo, db, run);

        // 1. Baseline: the cheapest endpoint through the same client at the same concurrency.
        var health = new GetWorkload("health/live", bearer: null);
        await Phase("warm-up GET /health/live", () => runner.RunAsync("warm-up", health, options.WarmUp, options.MaxRequests));
        var baseline = await Measure(() => runner.RunAsync("GET /health/live", health, options.PhaseLength, options.MaxRequests));
        Report(baseline);

        // 2. PostgreSQL's own limit: single-row durable INSERTs from this process, same concurrency, same server.
        Measured? bare = null;
        if (db is not null)
        {
            await BareInsert.RunAsync(db.ConnectionString, options.Concurrency, options.WarmUp, "warm-up");
            bare = await Measure(() => BareInsert.RunAsync(db.ConnectionString, options.Concurrency, options.PhaseLength, "bare INSERT"));
            Report(bare);
        }

        // 3. New reports: unique reportIds, cumulative counts strictly increasing per assignment, the owner's role.
        var reports = new ReportWorkload(PlanId, assignments, options.Concurrency, runId + mode[0], keepForRetry: 5_000);
        await Phase("warm-up POST reports", () => runner.RunAsync("warm-up", reports, options.ReportWarmUp, options.MaxReports));
        runner.ResetLive();
        var sampler = new Sampler(silo, runner);
        sampler.Start();
        var postCpu0 = silo.CpuTime();
        await using var trace = options.TraceDirectory is { } traceDir ? DotnetTrace.Start(silo.Pid, Path.Combine(traceDir, $"{mode}-reports.nettrace"), options.PostLength) : null;
        await using var perf = options.PerfDirectory is { } perfDir ? PerfRecord.Start(silo.Pid, Path.Combine(perfDir, $"{mode}-reports.perf.data"), options.PostLength) : null;
        var posts = await Measure(() => runner.RunAsync("POST reports", reports, options.PostLength, options.MaxReports));
        var burstEnd = Stopwatch.GetTimestamp();
        var halves = Sampler.Halves(sampler.Stop());
        if (trace is not null) await trace.DisposeAsync();
        Report(posts);

        // 4. Convergence, right after the burst: the plan rollup against what was acknowledged; meanwhile one GET /alerts,
        //    which the supervisor answers only after the progress messages queued before it.
        var expected = reports.Expect(plan);
        using var slowClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = silo.BaseAddress, Timeout = options.DrainLimit };
        var alertsProbe = TimedGet.RunAsync(slowClient, $"api/v1/plans/{PlanId}/alerts", office);
        var convergence = await Convergence.WaitAsync(client, $"api/v1/plans/{PlanId}/rollup", office, expected, burstEnd, options.DrainLimit);
        var alertsAfterBurst = await alertsProbe;
        var drainCpu = silo.CpuTime() - postCpu0;
        var alertsIdle = await TimedGet.RunAsync(slowClient, $"api/v1/plans/{PlanId}/alerts", office);
        Console.WriteLine($"Convergence: {(convergence.Converged ? "converged" : "NOT converged")} after {convergence.Lag.TotalMilliseconds:0.0} ms, " +
                          $"{convergence.Polls} polls{(convergence.Converged ? "" : $"; last difference: {convergence.LastDifference}")}. " +
                          $"GET /alerts at burst end: {alertsAfterBurst}; idle: {alertsIdle}.");

        // 5. Retries: the same requests again, byte for byte; the owner answers 200 with the stored answer.
        var sent = reports.SentReports();
        var retries = new RetryWorkload(PlanId, sent, options.Concurrency);
        await Phase("warm-up POST retries", () => runner.RunAsync("warm-up", retries, options.WarmUp, options.MaxRequests));
        var retried = await Measure(() => runner.RunAsync("POST retries (200)", retries, options.PhaseLength, options.MaxRequests));
        Report(retried);

        // 6. Plan rollup reads.
        var rollup = new GetWorkload($"api/v1/plans/{PlanId}/rollup", office);
        await Phase("warm-up GET rollup", () => runner.RunAsync("warm-up", rollup, options.WarmUp, options.MaxRequests));
        var rollups = await Measure(() => runner.RunAsync("GET rollup", rollup, options.PhaseLength, options.MaxRequests));
        Report(rollups);

        // 7. Cost isolation (memory mode): authenticated reads beside anonymous document requests and xlsx exports.
        IsolationResult? isolation = null;
        if (options.Isolation && db is null)
        {
            isolation = await CostIsolation.RunAsync(silo.BaseAddress, PlanId, Bearer, options);
            foreach (var r in new[] { isolation.Idle, isolation.Loaded, isolation.Anonymous, isolation.Exports })
                Console.WriteLine($"{r.Name}: {r.Ok:#,0} answered in {r.Elapsed.TotalSeconds:0.00} s = {r.Rate:#,0}/s, p50 {r.PercentileMs(50):0.00} ms, " +
                                  $"p99 {r.PercentileMs(99):0.00} ms, failures {r.FailureText}");
            notes.Add($"Cost isolation ({mode}): {CostIsolation.Readers} viewer workers read a street's view, alone and then beside " +
                      $"{CostIsolation.AnonymousClients} anonymous clients asking for /openapi/v1.json ({isolation.AnonymousServed:#,0} served, " +
                      $"{isolation.AnonymousRefused:#,0} refused 429 by the anonymous budget) and {CostIsolation.ExportCallers} callers downloading the " +
                      $"breakdown as xlsx ({isolation.ExportsServed:#,0} served, {isolation.ExportsRefused:#,0} refused 429 by the export gate); " +
                      $"reads {isolation.Idle.Rate:#,0}/s idle, {isolation.Loaded.Rate:#,0}/s loaded.");
        }

        // 8. Live events (memory mode): one viewer's stream; reports posted one at a time, then by LivePosters at once.
        LiveResults? live = null;
        if (options.LiveEvents && db is null)
        {
            await using var stream = await LiveEventStream.OpenAsync(silo.BaseAddress, $"api/v1/plans/{PlanId}/events", Bearer("viewer"),
                $"live-{runId}-", TimeSpan.FromSeconds(30));
            var probe = new LiveLatencyProbe(client, PlanId, assignments, stream);
            await probe.RunAsync("warm-up live events", 1, options.WarmUp, 200, LiveKeepRoom);
            var sequential = await probe.RunAsync("live events, 1 poster", 1, options.PhaseLength, LiveMaxReports, LiveKeepRoom);
            var before = CpuSnapshot.Take(silo, db);
            var concurrent = await probe.RunAsync($"live events, {LivePosters} posters", LivePosters, options.PhaseLength, LiveMaxReports);
            var cpu = CpuSnapshot.Take(silo, db) - before;
            live = new LiveResults(sequential, concurrent, cpu.Others.TotalSeconds / concurrent.Elapsed.TotalSeconds);
            foreach (var r in new[] { sequential, concurrent })
                Console.WriteLine($"{r.Name}: {r.Accepted:#,0} accepted, latency p50 {r.PercentileMs(50):0.00} ms, p99 {r.PercentileMs(99):0.00} ms, " +
                                  $"max {r.MaxMs:0.00} ms, missed {r.Missed:#,0}, failures {r.FailureText}");
            notes.Add($"Live events ({mode}): one viewer stream ({stream.KindsText}{(stream.Error is null ? "" : $"; ended: {stream.Error}")}); latency = progress " +
                      $"event read − 201 answer's headers arrived; {sequential.Accepted:#,0} reports by 1 poster, {concurrent.Accepted:#,0} by {LivePosters}; " +
                      $"{concurrent.PostersOutOfRoom} of {LivePosters} posters ran out of room.");
        }

        notes.Add($"Reports ({mode}): {assignments.Sum(a => a.Accepted):#,0} accepted in all ({posts.Result.Ok:#,0} in the measured burst), counts strictly " +
                  $"increasing per assignment up to {ReportLimits.Default.MaxMultipleOfTarget}× its target; least room of a worker's share at the start " +
                  $"{reports.LeastShareRoom:#,0} reports, {reports.RanOut} of {options.Concurrency} workers ran out of room; " +
                  $"failures: baseline {baseline.Result.FailureText}, reports {posts.Result.FailureText}, retries {retried.Result.FailureText} " +
                  $"({sent.Count:#,0} distinct reports replayed), rollup {rollups.Result.FailureText}" +
                  (bare is null ? "" : $", bare INSERT {bare.Result.FailureText}") + ".");
        notes.Add($"Burst halves ({mode}): {halves.FirstRate:#,0} then {halves.SecondRate:#,0} reports/s; silo CPU {halves.FirstCpuUs:0} then {halves.SecondCpuUs:0} µs per report.");
        notes.Add($"Silo RSS at the end of {mode} mode: {silo.ResidentBytes() / 1048576.0:0} MiB.");
        return new ModeResult(mode, baseline, bare, posts, halves, drainCpu.TotalMicroseconds / posts.Result.Ok, convergence, alertsAfterBurst, alertsIdle,
            retried, rollups, live, isolation, notes);
    }

    private static async Task<BenchPostgres> StartPostgres(string root, BenchOptions options)
    {
        var clock = Stopwatch.StartNew();
        var db = await BenchPostgres.StartAsync(root, options.PostgresFsync);
        Console.WriteLine($"PostgreSQL ready after {clock.Elapsed.TotalSeconds:0.0} s: {db.ConnectionString} ({db.Settings})");
        return db;
    }

    private static async Task<Measured> MeasureAsync(SiloProcess silo, BenchPostgres? db, Func<Task<PhaseResult>> run)
    {
        var before = CpuSnapshot.Take(silo, db);
        var result = await run();
        return new Measured(result, CpuSnapshot.Take(silo, db) - before);
    }

    private static async Task Phase(string name, Func<Task<PhaseResult>> run)
    {
        var result = await run();
        Console.WriteLine($"{name}: {result.Ok:#,0} ok, failures {result.FailureText}");
    }

    private static void Report(Measured m)
    {
        var (r, cpu) = (m.Result, m.Cpu);
        Console.WriteLine($"{r.Name}: {r.Ok:#,0} ok in {r.Elapsed.TotalSeconds:0.00} s = {r.Rate:#,0}/s, p50 {r.PercentileMs(50):0.00} ms, " +
                          $"p99 {r.PercentileMs(99):0.00} ms, failures {r.FailureText}; CPU s: silo {cpu.Silo.TotalSeconds:0.00}, " +
                          $"load generator {cpu.Client.TotalSeconds:0.00}, PostgreSQL {cpu.Db.TotalSeconds:0.00}, other processes {cpu.Others.TotalSeconds:0.00}");
    }
}

/// <summary>One timed GET (for the supervisor's backlog after the burst).</summary>
internal sealed record TimedGet(bool Ok, TimeSpan Latency, string Status)
{
    public override string ToString() => Ok ? $"{Latency.TotalMilliseconds:0.0} ms" : Status;

    public static async Task<TimedGet> RunAsync(HttpClient client, string path, string bearer)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Authorization", bearer);
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return new TimedGet(response.IsSuccessStatusCode, Stopwatch.GetElapsedTime(sent), $"HTTP {(int)response.StatusCode}");
        }
        catch (TaskCanceledException)
        {
            return new TimedGet(false, Stopwatch.GetElapsedTime(sent), $"> {client.Timeout.TotalMilliseconds:0} ms");
        }
    }
}
