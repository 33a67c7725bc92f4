using System.Globalization;
using Minsheng.Testing;
using Npgsql;

namespace Minsheng.Benchmarks;

/// <summary>
/// A throwaway PostgreSQL server for one benchmark run (<see cref="PostgresServer"/>, shared with the tests: a new
/// temporary directory on a free loopback port; <see cref="DisposeAsync"/>, also called on Ctrl+C and process exit,
/// stops it and deletes the directory). With <c>durable</c> the WAL is flushed on commit (fsync and full_page_writes on,
/// which the test script turns off for speed), so a commit really is durable; <c>synchronous_commit</c> is on either way.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly PostgresServer _server;

    private BenchPostgres(PostgresServer server) => _server = server;

    public string Directory => _server.Directory;

    public string ConnectionString => _server.ConnectionString;

    /// <summary>fsync, full_page_writes and synchronous_commit as the server reports them.</summary>
    public string Settings { get; private set; } = "";

    public static async Task<BenchPostgres> StartAsync(string repositoryRoot, bool durable)
    {
        var server = new BenchPostgres(await PostgresServer.StartAsync(Path.Combine(repositoryRoot, "scripts", "postgres.sh")));
        Cleanup.Register(server);
        try
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            var value = durable ? "on" : "off";
            foreach (var sql in new[] { $"ALTER SYSTEM SET fsync = {value}", $"ALTER SYSTEM SET full_page_writes = {value}", "SELECT pg_reload_conf()" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
            // pg_reload_conf signals the postmaster; new sessions (the silo's, the bare INSERT's) read the new values.
            await Task.Delay(200);
            await using var check = new NpgsqlConnection(server.ConnectionString);
            await check.OpenAsync();
            await using var show = new NpgsqlCommand(
                "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings " +
                "WHERE name IN ('fsync', 'full_page_writes', 'synchronous_commit', 'wal_sync_method', 'server_version')", check);
            server.Settings = (string)(await show.ExecuteScalarAsync())!;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }
    /// <summary>
    /// CPU time of the server: the postmaster's own and its reaped children's (from its <c>/proc</c> stat), plus every live
    /// child's (the backends serving the silo and the benchmark).
    /// </summary>
    public TimeSpan CpuTime()
    {
        try
        {
            var pidFile = Path.Combine(Directory, "data", "postmaster.pid");
            if (!File.Exists(pidFile)) return TimeSpan.Zero;
            var postmaster = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
            long ticks = 0;
            foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                string stat;
                try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
                catch (IOException) { continue; }
                catch (UnauthorizedAccessException) { continue; }
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                long F(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
                if (pid == postmaster) ticks += F(11) + F(12) + F(13) + F(14);
                else if (F(1) == postmaster) ticks += F(11) + F(12);
            }
            return TimeSpan.FromSeconds((double)ticks / SiloStats.TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Stops the server and deletes its directory; safe to call more than once and from a signal handler.</summary>
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Cleanup.Unregister(this);
    }
}
