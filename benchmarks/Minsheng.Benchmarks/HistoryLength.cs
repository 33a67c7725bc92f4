using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Minsheng.Domain.Plans;
using Minsheng.Hosting.Auth;
using Minsheng.Persistence;
using Npgsql;

namespace Minsheng.Benchmarks;

/// <summary>One history length: the silo's start, the first read of the street after it, a warm read, and memory.</summary>
internal sealed record HistoryPoint(int Rows, TimeSpan Ready, TimeSpan FirstRead, TimeSpan WarmRead, long ResidentBytes, long? LiveHeapBytes);

/// <summary>The first read of a street after a restart at two lengths of its history, and what grows with it.</summary>
internal sealed record HistoryLengthResult(string Street, HistoryPoint Small, HistoryPoint Large)
{
    /// <summary>Issue 18's bound on first read (large ÷ small).</summary>
    public const double FirstReadTarget = 1.5;

    public double FirstReadRatio => Large.FirstRead.TotalMilliseconds / Small.FirstRead.TotalMilliseconds;

    /// <summary>Resident memory per extra row of history, after the first read (noisy: the GC decides what RSS holds).</summary>
    public double ResidentBytesPerRow => (double)(Large.ResidentBytes - Small.ResidentBytes) / (Large.Rows - Small.Rows);

    /// <summary>Live managed heap per extra row of history after the first read (dotnet-gcdump: a full collection first).</summary>
    public double? HeapBytesPerRow => Large.LiveHeapBytes is { } large && Small.LiveHeapBytes is { } small
        ? (double)(large - small) / (Large.Rows - Small.Rows)
        : null;

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine($"### History length (PostgreSQL, street {Street}, rows written straight into its report log, silo restarted for each)");
        text.AppendLine();
        text.AppendLine("| rows in the street's log | silo ready | first read of the street | warm read | silo RSS after | live heap after |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var p in new[] { Small, Large })
            text.AppendLine(CultureInfo.InvariantCulture, $"| {p.Rows:#,0} | {p.Ready.TotalSeconds:0.0} s | {p.FirstRead.TotalMilliseconds:0.0} ms | " +
                                                         $"{p.WarmRead.TotalMilliseconds:0.0} ms | {p.ResidentBytes / 1048576.0:0} MiB | " +
                                                         $"{(p.LiveHeapBytes is { } h ? $"{h / 1048576.0:0.0} MiB" : "not measured")} |");
        text.AppendLine();
        var met = FirstReadRatio <= FirstReadTarget ? "met" : $"missed by {FirstReadRatio / FirstReadTarget:0.00}×";
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"- First read after restart, {Large.Rows:#,0} rows ÷ {Small.Rows:#,0} rows: {FirstReadRatio:0.00}× (target ≤ {FirstReadTarget}×, {met})."));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"- Silo RSS per extra row of history after the first read: {ResidentBytesPerRow:0} bytes (an owner holds one row per assignment and a bounded window of recent reportIds; what remains is the runtime's own noise)."));
        text.AppendLine(HeapBytesPerRow is { } perRow
            ? string.Create(CultureInfo.InvariantCulture,
                $"- Live heap per extra row of history (dotnet-gcdump after a full collection): {perRow:0.0} bytes (issue 18 measured ≈ 1 KB per row, for ever; target: bounded, independent of the history's length).")
            : "- Live heap per extra row of history: not measured (dotnet-gcdump missing or failed; see stderr).");
        return text.ToString();
    }
}

/// <summary>
/// Writes a street's history straight into a throwaway PostgreSQL report log (5,000 rows, then 50,000, each assignment a
/// gapless chain of versions), starts the silo on it and times the first read of the street: the owner's activation.
/// Its cost should follow the street's assignments, not the length of its history.
/// </summary>
internal static class HistoryLength
{
    public const string Street = "tianshui";
    public static readonly int[] Lengths = [5_000, 50_000];

    public static async Task<HistoryLengthResult> RunAsync(string root, string siloDll, BenchOptions options)
    {
        Console.WriteLine("### history length");
        await using var db = await BenchPostgres.StartAsync(root, durable: true);
        await new SchemaMigrator().MigrateAsync(db.ConnectionString);
        var plan = new PlanIndex(PlanJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(root, "seeds", "gongshu-2024.plan.json")),
            "seeds/gongshu-2024.plan.json"));
        var assignments = plan.AssignmentsOfStreet(Street).ToList();

        var points = new List<HistoryPoint>();
        var written = 0;
        foreach (var length in Lengths)
        {
            await Write(db.ConnectionString, plan.Id, assignments, written, length);
            written = length;
            points.Add(await Measure(root, siloDll, options, db.ConnectionString, plan.Id, length));
            var p = points[^1];
            Console.WriteLine($"{length:#,0} rows: ready {p.Ready.TotalSeconds:0.0} s, first read {p.FirstRead.TotalMilliseconds:0.0} ms, " +
                              $"warm {p.WarmRead.TotalMilliseconds:0.0} ms, RSS {p.ResidentBytes / 1048576.0:0} MiB, live heap {(p.LiveHeapBytes ?? 0) / 1048576.0:0.0} MiB");
        }
        return new HistoryLengthResult(Street, points[0], points[1]);
    }

    /// <summary>Tops the street's rows up from <paramref name="from"/> to <paramref name="to"/>, round robin over its assignments.</summary>
    private static async Task Write(string connectionString, string planId, IReadOnlyList<AssignmentRef> assignments, int from, int to)
    {
        var count = assignments.Count;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO minsheng_report_log (plan_id, owner_id, kind, report_id, task_id, unit_id, metric_id, version, completed, previous,
                at, role, person, fingerprint, body)
            SELECT $1, $2, 'report', 'history-' || n, a.task, $2, a.metric, n / $5 + 1, LEAST(n / $5 + 1, a.target), LEAST(n / $5, a.target),
                timestamptz '2024-03-01 09:00+08' + n * interval '1 second', 'street:' || $2, 'bench', 'bench',
                '{"note":null,"evidence":[],"correction":false,"reason":null,"milestones":null,"answer":null}'
            FROM generate_series($3::int, $4::int - 1) AS n
            JOIN unnest($6::text[], $7::text[], $8::bigint[]) WITH ORDINALITY AS a(task, metric, target, i) ON a.i - 1 = n % $5
            ORDER BY n
            """, connection);
        command.CommandTimeout = 600;
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = Street });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        command.Parameters.Add(new NpgsqlParameter { Value = assignments.Select(a => a.Task.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = assignments.Select(a => a.Key.MetricId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = assignments.Select(a => a.Assignment.Target).ToArray() });
        await command.ExecuteNonQueryAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE minsheng_report_log", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task<HistoryPoint> Measure(string root, string siloDll, BenchOptions options, string connectionString, string planId, int rows)
    {
        var keyText = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var started = Stopwatch.StartNew();
        // The simulated clock starts at the plan's start: no checkpoint is due, so nothing but the read touches the log.
        await using var silo = await SiloStats.StartSilo(siloDll, Path.Combine(root, "seeds"), keyText, TimeSpan.FromSeconds(120),
            [.. options.SiloArgs, "--Minsheng:Storage=Postgres", $"--ConnectionStrings:Minsheng={connectionString}", "--Minsheng:Clock:Mode=Simulated",
             // A cluster of its own per length: the silo before it left no membership row this one must wait out.
             $"--Minsheng:Cluster:ClusterId=history-{rows}"],
            options.SiloEnv);
        var ready = started.Elapsed;
        using var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TokenIssuer.Issue(Encoding.UTF8.GetBytes(keyText), $"street:{Street}", TimeSpan.FromHours(1), DateTimeOffset.UtcNow, district: "gongshu"));
        var path = $"api/v1/plans/{planId}/streets/{Street}";
        var first = await Timed(client, path);
        var warm = await Timed(client, path);
        var heap = await GcDump.LiveHeapBytes(silo.Pid, Path.Combine(Path.GetTempPath(), "minsheng-bench-gcdump"));
        return new HistoryPoint(rows, ready, first, warm, silo.ResidentBytes(), heap);
    }

    private static async Task<TimeSpan> Timed(HttpClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        var elapsed = clock.Elapsed;
        response.EnsureSuccessStatusCode();
        return elapsed;
    }
}
