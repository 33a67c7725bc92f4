using System.Diagnostics;
using System.Security.Cryptography;

namespace Minsheng.Benchmarks;

/// <summary>
/// Measures the real silo host in each storage mode (memory, then PostgreSQL on a throwaway server started here) and
/// prints one table: per mode the same-run baseline GET /health/live, new reports, retries and plan rollup reads as
/// ratios to that baseline with the silo's CPU per request; in PostgreSQL mode also a bare single-row durable INSERT at
/// the same concurrency; and the targets of issue 18 with whether each is met. Nothing is asserted.
/// </summary>
internal static class BenchmarkMain
{
    public static async Task<int> Main(string[] args)
    {
        // The plain design's server runs as a child process of a scale run (PlainDesign.cs).
        if (args is [PlainServer.Command, ..]) return await PlainServer.RunAsync(args[1..]);
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var root = HostInfo.RepositoryRoot();
        var siloDll = options.SiloDll ?? HostInfo.LocateSiloDll(root);
        if (options.Scale is not null) return await ScaleBenchmark.RunAsync(options, root, siloDll);
        HostInfo.PrintMachine(options, siloDll);
        var runId = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var clock = Stopwatch.StartNew();

        var results = new List<ModeResult>();
        foreach (var mode in options.HistoryOnly ? [] : options.Modes)
        {
            results.Add(await ModeBenchmark.RunAsync(mode, options, root, siloDll, runId));
            Console.WriteLine();
        }

        var history = options.HistoryOnly || (options.History && options.Modes.Contains(StorageModes.Postgres))
            ? await HistoryLength.RunAsync(root, siloDll, options)
            : null;

        var rows = results.SelectMany(Summary.Rows).Concat(Summary.AcrossModes(results)).ToList();
        Console.WriteLine($"## Minsheng silo benchmark ({DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, run {runId}, {clock.Elapsed.TotalSeconds:0} s)");
        Console.WriteLine();
        Console.Write(ResultTable.Render(rows));
        Console.WriteLine();
        Console.WriteLine("Targets:");
        foreach (var verdict in Summary.Verdicts(rows)) Console.WriteLine($"- {verdict}");
        if (history is not null)
        {
            Console.WriteLine();
            Console.Write(history.Render());
        }
        Console.WriteLine();
        Console.WriteLine("Notes:");
        Console.WriteLine($"- Concurrency {options.Concurrency} (HttpClient, HTTP/1.1 on 127.0.0.1, one connection per worker; the bare INSERT: " +
                          $"{options.Concurrency} Npgsql connections); measured phases {options.PhaseLength.TotalSeconds:0} s (burst " +
                          $"{options.PostLength.TotalSeconds:0} s) after {options.WarmUp.TotalSeconds:0} s of warm-up each (the burst after {options.ReportWarmUp.TotalSeconds:0} s of new reports); load generator, silo and " +
                          "PostgreSQL share the cores. \"÷ mode's baseline\" divides by the same quantity of that mode's GET /health/live.");
        Console.WriteLine("- CPU is read from /proc: the silo's process, PostgreSQL's postmaster and its children, this process; \"others\" is the " +
                          "machine's busy time minus those: when it is not near zero, other work shared the cores and every rate is low by that much.");
        foreach (var note in results.SelectMany(r => r.Notes)) Console.WriteLine($"- {note}");
        Console.WriteLine($"- Load average at the end: {HostInfo.LoadAverage()}.");
        return 0;
    }
}
