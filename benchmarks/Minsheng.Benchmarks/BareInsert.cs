using System.Diagnostics;
using Npgsql;

namespace Minsheng.Benchmarks;

/// <summary>
/// The storage limit of PostgreSQL mode, measured from this process: <c>concurrency</c> connections, each running one
/// single-row INSERT per call (autocommit, so one durable commit each) into a throwaway table on the silo's own server,
/// back to back until a Stopwatch deadline. The row is about the size of a report-log row's payload.
/// </summary>
internal static class BareInsert
{
    private const string Table = "bench_bare_insert";

    public static async Task<PhaseResult> RunAsync(string connectionString, int concurrency, TimeSpan duration, string name)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = concurrency + 2, Pooling = true };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var create = dataSource.CreateCommand(
            $"CREATE TABLE IF NOT EXISTS {Table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, worker int NOT NULL, n bigint NOT NULL, payload text NOT NULL)"))
            await create.ExecuteNonQueryAsync();

        var payload = new string('x', 200);
        long ok = 0;
        var ready = 0;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            var failures = new Dictionary<string, long>(StringComparer.Ordinal);
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand($"INSERT INTO {Table} (worker, n, payload) VALUES ($1, $2, $3)", connection);
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = w });
            var n = new NpgsqlParameter<long> { TypedValue = 0 };
            insert.Parameters.Add(n);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
            await insert.PrepareAsync();
            Interlocked.Increment(ref ready);
            await start.Task;
            while (clock.Elapsed < duration)
            {
                n.TypedValue++;
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    await insert.ExecuteNonQueryAsync();
                    Interlocked.Increment(ref ok);
                }
                catch (NpgsqlException e)
                {
                    var key = e.SqlState ?? "npgsql";
                    failures[key] = failures.GetValueOrDefault(key) + 1;
                }
                latencies.Add(Stopwatch.GetTimestamp() - sent);
            }
            return (latencies, failures);
        })).ToArray();
        // Every connection is open and its statement prepared before the clock starts.
        while (Volatile.Read(ref ready) < concurrency && !workers.Any(t => t.IsFaulted)) await Task.Delay(10);
        clock.Start();
        start.SetResult();
        var results = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var all = results.SelectMany(r => r.latencies).ToArray();
        Array.Sort(all);
        var failed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (_, f) in results)
            foreach (var (key, count) in f)
                failed[key] = failed.GetValueOrDefault(key) + count;
        return new PhaseResult(name, ok, failed, elapsed, all);
    }
}
