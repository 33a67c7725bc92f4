using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Minsheng.Benchmarks;

/// <summary>
/// A throwaway PostgreSQL server for one benchmark run: <c>scripts/postgres.sh start</c> in a new temporary directory on a
/// free loopback port; <see cref="DisposeAsync"/> (also called on Ctrl+C and process exit) stops it and deletes the
/// directory. With <c>durable</c> the WAL is flushed on commit (fsync and full_page_writes on, which the test script turns
/// off for speed), so a commit really is durable; <c>synchronous_commit</c> is on either way.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _script;
    private int _disposed;

    private PostgresServer(string script, string directory, string connectionString)
    {
        _script = script;
        Directory = directory;
        ConnectionString = connectionString;
    }

    public string Directory { get; }

    public string ConnectionString { get; }

    /// <summary>fsync, full_page_writes and synchronous_commit as the server reports them.</summary>
    public string Settings { get; private set; } = "";

    public static async Task<PostgresServer> StartAsync(string repositoryRoot, bool durable)
    {
        var script = Path.Combine(repositoryRoot, "scripts", "postgres.sh");
        var directory = System.IO.Directory.CreateTempSubdirectory("minsheng-bench-pg-").FullName;
        var port = FreePort();
        var (code, stdout, stderr) = await RunScript(script, "start", directory, port.ToString(CultureInfo.InvariantCulture));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var server = new PostgresServer(script, directory, lines.LastOrDefault() ?? "");
        Cleanup.Register(server);
        if (code != 0 || lines.Length == 0)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"scripts/postgres.sh start failed (exit {code}):\n{stderr}");
        }
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
            return TimeSpan.FromSeconds((double)ticks / SiloProcess.TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Stops the server and deletes its directory; safe to call more than once and from a signal handler.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        NpgsqlConnection.ClearAllPools();
        var (code, _, stderr) = await RunScript(_script, "stop", Directory);
        if (code != 0) await Console.Error.WriteLineAsync($"scripts/postgres.sh stop {Directory} failed (exit {code}):\n{stderr}");
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Could not delete {Directory}: {e.Message}");
        }
        Cleanup.Unregister(this);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunScript(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
