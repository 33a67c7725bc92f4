using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>
/// A real silo process (the built <c>Minsheng.Silo.dll</c>) on PostgreSQL, with its own HTTP and cluster ports, so
/// fault tests can stop it, SIGKILL it and start it again on the same database.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _extra;
    private readonly IReadOnlyCollection<string> _omit;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _log = new();
    private Process? _process;

    /// <param name="extra">Settings added to, or replacing, the defaults below.</param>
    /// <param name="omit">Default settings not to pass at all, so the silo falls back to its own defaults for them.</param>
    /// <param name="environment">Environment variables of the process (e.g. a fresh HOME).</param>
    public SiloProcess(string connectionString, IReadOnlyDictionary<string, string>? extra = null,
        IReadOnlyCollection<string>? omit = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        _connectionString = connectionString;
        _extra = extra ?? new Dictionary<string, string>();
        _omit = omit ?? [];
        _environment = environment ?? new Dictionary<string, string>();
        HttpPort = FreePort();
        SiloPort = FreePort();
        GatewayPort = FreePort();
        MetricsPort = FreePort();
    }

    public int HttpPort { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int MetricsPort { get; }

    /// <summary>The Prometheus scrape endpoint, on the metrics port.</summary>
    public Uri MetricsAddress => new($"http://127.0.0.1:{MetricsPort}/metrics");

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public string Log { get { lock (_log) return _log.ToString(); } }

    public HttpClient As(string role)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloHost.Token(role));
        return client;
    }

    /// <summary>Starts the process and waits (bounded) until <c>/health/ready</c> answers 200.</summary>
    public async Task Start(TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepoPaths.SiloDll);
        var settings = new Dictionary<string, string>
        {
            ["urls"] = BaseAddress.ToString(),
            ["Minsheng:Storage"] = "Postgres",
            ["ConnectionStrings:Minsheng"] = _connectionString,
            ["Minsheng:Seeds"] = RepoPaths.Seeds,
            ["Minsheng:Auth:SigningKey"] = Encoding.UTF8.GetString(SiloHost.SigningKey),
            ["Minsheng:Cluster:SiloPort"] = SiloPort.ToString(),
            ["Minsheng:Cluster:GatewayPort"] = GatewayPort.ToString(),
            ["Minsheng:Metrics:Port"] = MetricsPort.ToString(),
            ["Minsheng:RateLimit:PermitsPerSecond"] = "100000",
            ["Minsheng:RateLimit:Burst"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in _extra) settings[k] = v;
        foreach (var k in _omit) settings.Remove(k);
        foreach (var (k, v) in _environment) info.Environment[k] = v;
        foreach (var (k, v) in settings) info.ArgumentList.Add($"--{k}={v}");
        info.WorkingDirectory = Path.GetDirectoryName(RepoPaths.SiloDll)!;

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The silo exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The silo did not become ready:\n{Log}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye to the cluster.</summary>
    public async Task Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait for a graceful exit.</summary>
    public async Task Stop()
    {
        if (_process is null || _process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { await Kill(); }
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
