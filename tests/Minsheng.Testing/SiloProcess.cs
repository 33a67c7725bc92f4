using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Minsheng.Testing;

/// <summary>
/// A real silo process (<c>dotnet Minsheng.Silo.dll</c>) on loopback ports that were free: its HTTP, cluster, gateway
/// and metrics ports are chosen here and passed as settings, then the caller's settings (which may replace them).
/// Tests stop it, SIGKILL it and start it again; the benchmark reads its CPU time through <see cref="Pid"/>.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly string _siloDll;
    private readonly Dictionary<string, string> _settings;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly IReadOnlyList<string> _arguments;
    private readonly StringBuilder _log = new();
    private Process? _process;
    private int _disposed;

    /// <param name="siloDll">The silo's entry assembly (<see cref="RepoPaths.SiloDll"/> for tests).</param>
    /// <param name="settings">Configuration passed as <c>--key=value</c> arguments, after the ports chosen here.</param>
    /// <param name="environment">Environment variables of the process; a null value removes one inherited.</param>
    /// <param name="arguments">Further command-line arguments, passed as given after the settings.</param>
    public SiloProcess(string siloDll, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string?>? environment = null,
        IReadOnlyList<string>? arguments = null)
    {
        _arguments = arguments ?? [];
        _siloDll = siloDll;
        var ports = Ports.Distinct(4);
        (HttpPort, SiloPort, GatewayPort, MetricsPort) = (ports[0], ports[1], ports[2], ports[3]);
        _settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["urls"] = BaseAddress.ToString().TrimEnd('/'),
            ["Minsheng:Cluster:SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture),
            ["Minsheng:Cluster:GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Minsheng:Metrics:Port"] = MetricsPort.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings) _settings[key] = value;
        _environment = environment ?? new Dictionary<string, string?>();
    }

    public int HttpPort { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int MetricsPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>The Prometheus scrape endpoint, on the metrics port.</summary>
    public Uri MetricsAddress => new($"http://127.0.0.1:{MetricsPort}/metrics");

    /// <summary>The running process's id.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("The silo is not started.");

    /// <summary>Everything the process wrote to standard output and standard error so far.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Log"/>.</summary>
    public string Tail(int lines = 60) => string.Join('\n', Log.Split('\n').TakeLast(lines + 1)).TrimEnd();

    /// <summary>Starts the process and waits (bounded) until <c>/health/ready</c> answers 200; throws with the log if it exits or times out.</summary>
    public async Task Start(TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_siloDll)!,
        };
        info.ArgumentList.Add(_siloDll);
        foreach (var (key, value) in _settings) info.ArgumentList.Add($"--{key}={value}");
        foreach (var argument in _arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in _environment)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }

        _process?.Dispose();
        _process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var process = _process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var bound = timeout ?? TimeSpan.FromSeconds(60);
        try
        {
            await Poll.Until(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"The silo exited with {process.ExitCode} before it was ready:\n{Tail()}");
                try
                {
                    using var response = await probe.GetAsync("health/ready");
                    return (int)response.StatusCode;
                }
                catch (HttpRequestException) { return 0; } // Not listening yet.
                catch (TaskCanceledException) { return 0; } // Starting slowly.
            }, status => status == 200, $"the silo at {BaseAddress} to answer 200 on /health/ready", bound, TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Tail()}", e);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye to the cluster.</summary>
    public async Task Kill()
    {
        if (_process is null || _process.HasExited) return;
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGTERM and wait (30 s) for a graceful exit; SIGKILL after that.</summary>
    public async Task Stop()
    {
        if (_process is null || _process.HasExited) return;
        await Terminate();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { await Kill(); }
    }

    /// <summary>The exit code once the process has exited; null while it runs or before it started.</summary>
    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    /// <summary>Whether the process was started and has exited since (killed, stopped, or ended itself).</summary>
    public bool HasExited => _process is { HasExited: true };

    /// <summary>SIGSTOP: the process is frozen as in a long GC pause or a VM stall; it neither answers nor notices time passing.</summary>
    public Task Pause() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public Task Resume() => Signal("CONT");

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit on its own; whether it did.</summary>
    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        if (_process is null) return true;
        using var cancel = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cancel.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    private async Task Signal(string name)
    {
        if (_process is null || _process.HasExited) return;
        using var signal = Process.Start("kill", [$"-{name}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await signal.WaitForExitAsync();
    }

    /// <summary>SIGTERM only: the process begins to stop; the caller watches it leave.</summary>
    public Task Terminate() => Signal("TERM");

    /// <summary>Kills the process if it still runs; safe to call more than once and from a signal handler.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try { await Kill(); }
        catch (TimeoutException) { /* Reported by the caller's exit; nothing more to do here. */ }
        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }
}
