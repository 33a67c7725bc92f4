using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>A PostgreSQL server of one test's own (scripts/postgres.sh), for tests that stop and restart it.</summary>
public sealed class DedicatedPostgres : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "minsheng-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int _port = FreePort();

    public string ConnectionString { get; private set; } = "";

    public static async Task<DedicatedPostgres> Launch()
    {
        var server = new DedicatedPostgres();
        await server.Start();
        return server;
    }

    public async Task Start() => ConnectionString = (await Run("start", _directory, _port.ToString())).Trim().Split('\n')[^1];

    public Task Stop() => Run("stop", _directory);

    public async ValueTask DisposeAsync()
    {
        try { await Stop(); } catch (InvalidOperationException) { }
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task<string> Run(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepoPaths.PostgresScript);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {string.Join(' ', args)}: {await stderr}");
        return await stdout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
