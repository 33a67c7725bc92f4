using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Minsheng.Testing;

/// <summary>
/// A PostgreSQL server of one's own (<c>scripts/postgres.sh</c>) in a new temporary directory on a free loopback port,
/// for tests that stop and restart it and for the benchmark. <see cref="DisposeAsync"/> stops it and deletes the directory.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _script;
    private readonly int _port;
    private int _disposed;

    private PostgresServer(string script, string directory, int port)
    {
        _script = script;
        Directory = directory;
        _port = port;
    }

    /// <summary>The server's directory (its data under <c>data/</c>).</summary>
    public string Directory { get; }

    /// <summary>The connection string <c>postgres.sh start</c> printed; empty until started.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Creates the directory and starts the server in it.</summary>
    public static async Task<PostgresServer> StartAsync(string? script = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("minsheng-pg-").FullName;
        var server = new PostgresServer(script ?? RepoPaths.PostgresScript, directory, Ports.Free());
        try
        {
            await server.Start();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="Stop"/>), on the same directory and port.</summary>
    public async Task Start()
    {
        var output = await Run("start", Directory, _port.ToString(CultureInfo.InvariantCulture));
        ConnectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException("postgres.sh start printed no connection string");
    }

    /// <summary>Stops the server; its data stays.</summary>
    public Task Stop() => Run("stop", Directory);

    /// <summary>Stops the server and deletes its directory; safe to call more than once and from a signal handler.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        NpgsqlConnection.ClearAllPools();
        try { await Stop(); }
        catch (InvalidOperationException e) { await Console.Error.WriteLineAsync(e.Message); }
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { await Console.Error.WriteLineAsync($"Could not delete {Directory}: {e.Message}"); }
    }

    private async Task<string> Run(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(_script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"postgres.sh {string.Join(' ', args)} failed (exit {process.ExitCode}):\n{await stderr}");
        return await stdout;
    }
}
