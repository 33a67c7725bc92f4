using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Minsheng.Benchmarks;

/// <summary>
/// The silo under test: <c>dotnet Minsheng.Silo.dll</c> as a child process on loopback ports that were free, with its
/// own throwaway signing key. Its CPU time is read from <c>/proc/PID/stat</c>, so the cost of each phase is the silo's
/// alone, not the load generator's.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private int _disposed;
    private static readonly Lazy<long> ClockTicks = new(ReadClockTicks);

    /// <summary>Clock ticks per second of the times in <c>/proc</c>.</summary>
    public static long TicksPerSecond => ClockTicks.Value;

    private SiloProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the silo and waits until <c>/health/ready</c> answers 200 (a real grain call succeeded).</summary>
    public static async Task<SiloProcess> StartAsync(string siloDll, string seeds, string signingKey, TimeSpan timeout,
        IReadOnlyList<string> extraArgs, IReadOnlyDictionary<string, string> extraEnv)
    {
        var httpPort = FreePort();
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(siloDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            siloDll,
            "--urls", $"http://127.0.0.1:{httpPort}",
            $"--Minsheng:Seeds={seeds}",
            $"--Minsheng:Cluster:SiloPort={siloPort}",
            $"--Minsheng:Cluster:GatewayPort={gatewayPort}",
            "--Minsheng:RateLimit:PermitsPerSecond=1000000",
            "--Minsheng:RateLimit:Burst=1000000",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var arg in extraArgs) start.ArgumentList.Add(arg);
        // The key goes in the environment rather than the argument list, so `ps` does not show it.
        start.Environment["Minsheng__Auth__SigningKey"] = signingKey;
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("Minsheng__Storage");
        foreach (var (name, value) in extraEnv) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{httpPort}/"));
        Cleanup.Register(silo);
        process.OutputDataReceived += (_, e) => silo.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await silo.WaitReadyAsync(timeout);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode} before it was ready:\n{Tail()}");
            try
            {
                using var response = await client.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting slowly.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The silo was not ready within {timeout.TotalSeconds:0} s:\n{Tail()}");
    }

    /// <summary>The silo's user + system CPU time so far.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ClockTicks.Value);
    }

    /// <summary>The silo's resident memory in bytes, from <c>/proc/PID/status</c>.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    public string Tail() => string.Join('\n', _output);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Cleanup.Unregister(this);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (TimeoutException)
        {
            // Reported by the caller's exit; nothing more to do here.
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 60) _output.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Clock ticks per second of <c>/proc</c> times (<c>getconf CLK_TCK</c>; 100 on Linux in practice).</summary>
    private static long ReadClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            if (getconf is null) return 100;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}
