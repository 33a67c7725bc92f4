using System.Globalization;

namespace Minsheng.Benchmarks;

/// <summary>Command-line settings; the defaults keep a whole run (both storage modes) under about 3 minutes on 2 cores.</summary>
internal sealed record BenchOptions
{
    /// <summary>Concurrent requests in flight (one connection each).</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Measured length of the GET phases (baseline, rollup) and of the retry phase.</summary>
    public TimeSpan PhaseLength { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Measured length of the new-report burst.</summary>
    public TimeSpan PostLength { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Unmeasured warm-up before each phase.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Warm-up of the new-report burst. Longer than the others: a fresh silo is still compiling the report path (its
    /// tiered JIT) for several seconds; after 2 s the JIT took 16–29% of the silo's CPU in the measured burst (perf,
    /// 2 Dec 2026), after 12 s 1.9%. The steady state is what a running service has.
    /// </summary>
    public TimeSpan ReportWarmUp { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>Whether measured phases wait for the silo to be idle after it is ready (<c>--no-idle-wait</c>: not).</summary>
    public bool IdleWait { get; init; } = true;

    /// <summary>How long to wait for the rollup to converge and the supervisor to drain after the burst.</summary>
    public TimeSpan DrainLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Request budget of one phase (the deadline usually ends it first).</summary>
    public long MaxRequests { get; init; } = 5_000_000;

    /// <summary>Budget of new reports in the burst, bounding the owners' state.</summary>
    public long MaxReports { get; init; } = 1_000_000;

    /// <summary>Storage modes to measure, in this order: <c>memory</c>, <c>postgres</c> (a throwaway server started here).</summary>
    public IReadOnlyList<string> Modes { get; init; } = [StorageModes.Memory, StorageModes.Postgres];

    /// <summary>Whether the throwaway PostgreSQL server flushes its WAL (fsync, full_page_writes): on, so commits are durable.</summary>
    public bool PostgresFsync { get; init; } = true;

    /// <summary>When set, a dotnet-trace CPU-sampling trace of the silo during each mode's new-report burst is written here.</summary>
    public string? TraceDirectory { get; init; }

    /// <summary>
    /// When set, <c>perf record</c> samples the silo's CPU (call graphs, 499 Hz) during each mode's new-report burst into
    /// this folder, with the silo's JIT symbol map on (<c>DOTNET_PerfMapEnabled=1</c>); read with <c>perf report</c>.
    /// Unlike dotnet-trace's default profile it samples running threads only, so it shows where CPU goes.
    /// </summary>
    public string? PerfDirectory { get; init; }

    /// <summary>Whether the live-event phases run (memory mode only; they measure the event path, not storage).</summary>
    public bool LiveEvents { get; init; } = true;

    /// <summary>Whether the cost-isolation phases run (memory mode only): reads beside anonymous and export load.</summary>
    public bool Isolation { get; init; } = true;

    /// <summary>Whether to measure the first read of a street after a restart at two history lengths (PostgreSQL).</summary>
    public bool History { get; init; } = true;

    /// <summary>Only the history-length measurement (no storage-mode phases).</summary>
    public bool HistoryOnly { get; init; }

    /// <summary>An explicit Minsheng.Silo.dll; by default the one built next to this benchmark's configuration.</summary>
    public string? SiloDll { get; init; }

    /// <summary>Extra command-line arguments for the silo (e.g. <c>--Minsheng:Clock:Mode=Simulated</c>).</summary>
    public IReadOnlyList<string> SiloArgs { get; init; } = [];

    /// <summary>Extra environment variables for the silo (e.g. <c>DOTNET_PerfMapEnabled=1</c> for perf).</summary>
    public IReadOnlyDictionary<string, string> SiloEnv { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>--scale gongshu|province|nation</c> (issue 19): the scale run instead of the one-plan benchmark: generated plans,
    /// memory and PostgreSQL mode and the plain design side by side (<see cref="ScaleBenchmark"/>).
    /// </summary>
    public string? Scale { get; init; }

    /// <summary><c>--quick</c>: a scale run with short phases and few latency probes (a smoke run, not figures to quote).</summary>
    public bool Quick { get; init; }

    /// <summary>Rows per assignment the generator bulk-loads into the PostgreSQL report log at a scale run (issue 19: ≈50).</summary>
    public int LogRows { get; init; } = 50;

    /// <summary>Whether a scale run writes its section into BENCHMARKS.md (<c>--no-write</c>: not).</summary>
    public bool WriteMarkdown { get; init; } = true;

    /// <summary>
    /// <c>--catch-up-wait S</c>: how long a scale run waits after ready for the supervision schedule to run every plan's
    /// past year before it measures (default 45 min); past it, the phases run beside the catch-up, and the table says so.
    /// </summary>
    public TimeSpan CatchUpWait { get; init; } = TimeSpan.FromMinutes(45);

    /// <summary>Whether a scale run also measures the plain design (<c>--no-plain</c>: not).</summary>
    public bool Plain { get; init; } = true;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Seconds() => double.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--concurrency" => options with { Concurrency = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--seconds" => options with { PhaseLength = TimeSpan.FromSeconds(Seconds()) },
                "--post-seconds" => options with { PostLength = TimeSpan.FromSeconds(Seconds()) },
                "--warmup-seconds" => options with { WarmUp = TimeSpan.FromSeconds(Seconds()) },
                "--no-idle-wait" => options with { IdleWait = false },
                "--report-warmup-seconds" => options with { ReportWarmUp = TimeSpan.FromSeconds(Seconds()) },
                "--drain-seconds" => options with { DrainLimit = TimeSpan.FromSeconds(Seconds()) },
                "--max-requests" => options with { MaxRequests = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--max-reports" => options with { MaxReports = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--modes" => options with { Modes = StorageModes.Parse(Value()) },
                "--pg-fsync" => Value() switch
                {
                    "on" => options with { PostgresFsync = true },
                    "off" => options with { PostgresFsync = false },
                    _ => throw new ArgumentException("--pg-fsync takes on or off"),
                },
                "--trace" => options with { TraceDirectory = Path.GetFullPath(Value()) },
                "--perf" => options with
                {
                    PerfDirectory = Path.GetFullPath(Value()),
                    SiloEnv = new Dictionary<string, string>(options.SiloEnv) { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" },
                },
                "--no-live" => options with { LiveEvents = false },
                "--no-isolation" => options with { Isolation = false },
                "--no-history" => options with { History = false },
                "--history-only" => options with { HistoryOnly = true, History = true },
                "--silo-dll" => options with { SiloDll = Value() },
                "--silo-arg" => options with { SiloArgs = [.. options.SiloArgs, Value()] },
                "--silo-env" => Value().Split('=', 2) is [var name, var value]
                    ? options with { SiloEnv = new Dictionary<string, string>(options.SiloEnv) { [name] = value } }
                    : throw new ArgumentException("--silo-env takes NAME=VALUE"),
                "--scale" => Value() is var scale && scale is "gongshu" or "province" or "nation"
                    ? options with { Scale = scale }
                    : throw new ArgumentException("--scale takes gongshu, province or nation"),
                "--quick" => options with { Quick = true },
                "--full" => options with { Quick = false },
                "--log-rows" => options with { LogRows = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--no-write" => options with { WriteMarkdown = false },
                "--no-plain" => options with { Plain = false },
                "--catch-up-wait" => options with { CatchUpWait = TimeSpan.FromSeconds(Seconds()) },
                "-h" or "--help" => throw new ArgumentException(Usage),
                var other => throw new ArgumentException($"Unknown option {other}.\n{Usage}"),
            };
        }
        if (options.Concurrency < 1) throw new ArgumentException("--concurrency must be at least 1");
        if (options.LogRows is < 0 or > 1000) throw new ArgumentException("--log-rows takes 0 (none) to 1000");
        return options;
    }

    public const string Usage =
        "usage: bench.sh [--concurrency N] [--seconds S] [--post-seconds S] [--warmup-seconds S] [--report-warmup-seconds S] [--no-idle-wait] [--drain-seconds S]\n" +
        "                [--max-requests N] [--max-reports N] [--modes memory,postgres] [--pg-fsync on|off]\n" +
        "                [--trace DIR] [--perf DIR] [--no-live] [--no-isolation] [--no-history] [--history-only] [--silo-dll PATH]\n" +
        "                [--silo-arg ARG]... [--silo-env NAME=VALUE]...\n" +
        "       bench.sh --scale gongshu|province|nation [--quick|--full] [--modes memory,postgres] [--concurrency N] [--log-rows N]\n" +
        "                [--no-plain] [--no-write] [--catch-up-wait S] [--pg-fsync on|off] [--silo-dll PATH] [--silo-arg ARG]... [--silo-env NAME=VALUE]...\n" +
        "       (issue 19: generated plans, memory and PostgreSQL mode and the plain design side by side; writes a section of BENCHMARKS.md;\n" +
        "        exits 1 when a rollup is not exact, 3 when a mode could not be measured)";
}

/// <summary>The storage modes the benchmark can measure.</summary>
internal static class StorageModes
{
    public const string Memory = "memory";
    public const string Postgres = "postgres";

    public static IReadOnlyList<string> Parse(string text)
    {
        var modes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => m.ToLowerInvariant()).Distinct().ToList();
        if (modes.Count == 0 || modes.Any(m => m is not (Memory or Postgres)))
            throw new ArgumentException("--modes takes memory, postgres or memory,postgres");
        return modes;
    }
}
