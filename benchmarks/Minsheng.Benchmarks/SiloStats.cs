using System.Diagnostics;
using System.Globalization;
using Minsheng.Testing;

namespace Minsheng.Benchmarks;

/// <summary>
/// The silo under test (<see cref="SiloProcess"/>, shared with the tests) as the benchmark starts it, with its own
/// throwaway signing key, and its CPU time and memory read from <c>/proc/PID</c>, so the cost of each phase is the
/// silo's alone, not the load generator's.
/// </summary>
internal static class SiloStats
{
    private static readonly Lazy<long> ClockTicks = new(ReadClockTicks);

    /// <summary>Clock ticks per second of the times in <c>/proc</c>.</summary>
    public static long TicksPerSecond => ClockTicks.Value;

    /// <summary>Starts the silo and waits until <c>/health/ready</c> answers 200 (a real grain call succeeded).</summary>
    public static async Task<SiloProcess> StartSilo(string siloDll, string seeds, string signingKey, TimeSpan timeout,
        IReadOnlyList<string> extraArgs, IReadOnlyDictionary<string, string> extraEnv)
    {
        var settings = new Dictionary<string, string>
        {
            ["Minsheng:Seeds"] = seeds,
            ["Minsheng:RateLimit:PermitsPerSecond"] = "1000000",
            ["Minsheng:RateLimit:Burst"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var environment = new Dictionary<string, string?>
        {
            // The key goes in the environment rather than the argument list, so `ps` does not show it.
            ["Minsheng__Auth__SigningKey"] = signingKey,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["ASPNETCORE_URLS"] = null,
            ["Minsheng__Storage"] = null,
        };
        foreach (var (name, value) in extraEnv) environment[name] = value;
        var silo = new SiloProcess(siloDll, settings, environment, extraArgs);
        Cleanup.Register(silo);
        try
        {
            await silo.Start(timeout);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    /// <summary>Waits until the silo uses less than 0.05 cores over a whole second, or the limit passes.</summary>
    public static async Task<(bool Reached, TimeSpan Waited)> WaitForIdle(this SiloProcess silo, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var before = silo.CpuTime();
            await Task.Delay(TimeSpan.FromSeconds(1));
            if ((silo.CpuTime() - before).TotalSeconds < 0.05) return (true, clock.Elapsed);
        }
        return (false, clock.Elapsed);
    }

    /// <summary>The silo's user + system CPU time so far.</summary>
    public static TimeSpan CpuTime(this SiloProcess silo)
    {
        var stat = File.ReadAllText($"/proc/{silo.Pid}/stat");
        // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ClockTicks.Value);
    }

    /// <summary>The silo's resident memory in bytes, from <c>/proc/PID/status</c>.</summary>
    public static long ResidentBytes(this SiloProcess silo)
    {
        foreach (var line in File.ReadLines($"/proc/{silo.Pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
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
