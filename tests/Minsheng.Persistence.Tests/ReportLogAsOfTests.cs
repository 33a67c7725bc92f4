using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Minsheng.Domain.Plans;
using Minsheng.Grains.ReportLog;
using Minsheng.Grains.Tests;
using Minsheng.Persistence.ReportLog;
using Npgsql;
using Xunit.Abstractions;

namespace Minsheng.Persistence.Tests;

/// <summary>
/// As-of reads in PostgreSQL: the contract the in-memory log passes too (<see cref="ReportLogAsOfContract"/>), and on a
/// plan's worth of history, the answer a scan would give, found by index steps alone (migration 0009), never a scan.
/// </summary>
public sealed class ReportLogAsOfTests(ITestOutputHelper output) : ReportLogAsOfContract, IAsyncLifetime
{
    /// <summary>About one district's assignments (185 in Gongshu 2024), each with a history.</summary>
    private const int Keys = 185, Versions = 40;

    private static readonly DateTimeOffset Start = new(2024, 3, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private LogDatabase _store = null!;

    private TestDatabase _db => _store.Db;

    private PostgresReportLog _log => _store.Log;

    protected override IReportLog Log => _log;

    public async Task InitializeAsync() => _store = await LogDatabase.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task On_a_long_history_each_metric_reads_the_row_a_scan_would_find()
    {
        await WriteHistory();
        var keys = AllKeys();
        foreach (var second in new[] { 0, Keys - 1, Keys * 7 + 3, Keys * Versions / 2, Keys * Versions - 1, Keys * Versions * 2 })
        {
            var rows = (await _log.ReadAsOf("p", keys, Start.AddSeconds(second))).ToDictionary(r => (r.TaskId, r.UnitId, r.MetricId));
            for (var i = 0; i < Keys; i++)
            {
                // Row n is key n % Keys at version n / Keys + 1, stamped n seconds after the start: the last such n by then.
                var last = Math.Min(second, Keys * Versions - 1);
                last -= ((last - i) % Keys + Keys) % Keys;
                var key = keys[i];
                Assert.Equal(last < 0 ? null : last / Keys + 1, rows.GetValueOrDefault((key.TaskId, key.UnitId, key.MetricId))?.Version);
            }
        }
    }

    /// <summary>
    /// Mid-history, each key takes one step on the version index (its newest row, stamped later) and one on the as-of
    /// index; after the last stamp, the newest row answers and the as-of index is never touched.
    /// </summary>
    [Fact]
    public async Task The_as_of_read_is_index_steps_on_the_as_of_and_version_indexes_never_a_scan()
    {
        await WriteHistory();
        var keys = AllKeys();
        var middle = await Explain(keys, Start.AddSeconds(Keys * Versions / 2));
        output.WriteLine(middle.RootElement.ToString());
        Assert.Equal(new Dictionary<string, double> { ["minsheng_report_log_version"] = Keys, ["minsheng_report_log_as_of"] = Keys }, Loops(middle));

        var after = await Explain(keys, Start.AddSeconds(Keys * Versions));
        Assert.Equal(new Dictionary<string, double> { ["minsheng_report_log_version"] = Keys, ["minsheng_report_log_as_of"] = 0 }, Loops(after));
    }

    /// <summary>
    /// How often each index was stepped into, after checking that every read of the table is a backward index scan
    /// returning at most one row per loop (a step, not a walk through the history) and that nothing scans the table.
    /// </summary>
    private static Dictionary<string, double> Loops(JsonDocument plan)
    {
        var nodes = Nodes(plan.RootElement).ToList();
        Assert.DoesNotContain(nodes, n => n.GetProperty("Node Type").GetString() is "Seq Scan" or "Bitmap Heap Scan");
        var scans = nodes.Where(n => n.TryGetProperty("Relation Name", out _)).ToList();
        Assert.All(scans, n =>
        {
            Assert.Equal(("Index Scan", "Backward"), (n.GetProperty("Node Type").GetString(), n.GetProperty("Scan Direction").GetString()));
            Assert.True(n.GetProperty("Actual Rows").GetDouble() <= 1, n.ToString());
        });
        return scans.ToDictionary(n => n.GetProperty("Index Name").GetString()!, n => n.GetProperty("Actual Loops").GetDouble());
    }

    private static List<AssignmentKey> AllKeys() =>
        Enumerable.Range(0, Keys).Select(i => new AssignmentKey($"{i / 10 + 1}.{i % 10 + 1}", $"unit{i % 19}", "count")).ToList();

    /// <summary>
    /// <see cref="Versions"/> rows per key, round robin, one second apart, plus a second plan's rows beside them: what a
    /// year of reports leaves, written in one statement (the chain's foreign key holds, versions go up by one).
    /// </summary>
    private async Task WriteHistory()
    {
        var keys = AllKeys();
        await using var connection = await _db.OpenAsync();
        await using (var command = new NpgsqlCommand("""
            INSERT INTO minsheng_report_log (plan_id, owner_id, kind, report_id, task_id, unit_id, metric_id, version, completed, previous,
                at, role, person, fingerprint, body)
            SELECT p.id, k.u, 'report', 'h-' || n, k.t, k.u, k.m, n / $4 + 1, n / $4 + 1, n / $4, $5 + n * interval '1 second',
                'street', 'bench', 'f', '{"note":null,"evidence":[],"correction":false,"reason":null,"milestones":null,"answer":null}'
            FROM unnest(ARRAY['p', 'other']) AS p(id)
            CROSS JOIN generate_series(0, $4 * $6 - 1) AS n
            JOIN unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(t, u, m, i) ON k.i - 1 = n % $4
            ORDER BY p.id, n
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.TaskId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.UnitId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.MetricId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = Keys });
            command.Parameters.Add(new NpgsqlParameter { Value = Start.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter { Value = Versions });
            await command.ExecuteNonQueryAsync();
        }
        await using var analyze = new NpgsqlCommand("ANALYZE minsheng_report_log", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The executed plan of <see cref="PostgresReportLog.AsOfSql"/> with these keys and instant, as JSON.</summary>
    private async Task<JsonDocument> Explain(IReadOnlyList<AssignmentKey> keys, DateTimeOffset at)
    {
        await using var connection = await _db.OpenAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + PostgresReportLog.AsOfSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = "p" });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.TaskId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.UnitId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.MetricId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime() });
        return JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>Every node of an EXPLAIN (FORMAT JSON) plan.</summary>
    private static IEnumerable<JsonElement> Nodes(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var node in Nodes(item)) yield return node;
            yield break;
        }
        var plan = element.TryGetProperty("Plan", out var root) ? root : element;
        yield return plan;
        if (plan.TryGetProperty("Plans", out var children))
            foreach (var child in children.EnumerateArray())
                foreach (var node in Nodes(child)) yield return node;
    }
}
