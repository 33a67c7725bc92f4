using System.Diagnostics;
using System.Globalization;
using Minsheng.Testing;

namespace Minsheng.Benchmarks;

/// <summary>
/// CPU time so far of the silo, of this load generator, of the PostgreSQL server (zero in memory mode) and of the whole
/// machine (busy, all cores).
/// </summary>
internal readonly record struct CpuSnapshot(TimeSpan Silo, TimeSpan Client, TimeSpan Db, TimeSpan MachineBusy)
{
    /// <summary>CPU the rest of the machine used: busy time not spent by the silo, the load generator or the database.</summary>
    public TimeSpan Others => MachineBusy - Silo - Client - Db is { Ticks: > 0 } rest ? rest : TimeSpan.Zero;

    public static CpuSnapshot Take(SiloProcess silo, BenchPostgres? db)
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSnapshot(silo.CpuTime(), self.TotalProcessorTime, db?.CpuTime() ?? TimeSpan.Zero, MachineBusyTime());
    }

    public static CpuSnapshot operator -(CpuSnapshot a, CpuSnapshot b) =>
        new(a.Silo - b.Silo, a.Client - b.Client, a.Db - b.Db, a.MachineBusy - b.MachineBusy);

    /// <summary>user + nice + system + irq + softirq + steal of the first line of <c>/proc/stat</c>.</summary>
    private static TimeSpan MachineBusyTime()
    {
        var line = File.ReadLines("/proc/stat").First();
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => f.Length > i ? long.Parse(f[i], CultureInfo.InvariantCulture) : 0;
        var busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        return TimeSpan.FromSeconds((double)busy / SiloStats.TicksPerSecond);
    }
}

/// <summary>Samples the silo's CPU time and the running phase's success count on its own thread (no timers).</summary>
internal sealed class Sampler(SiloProcess silo, LoadRunner runner)
{
    internal readonly record struct Sample(TimeSpan At, long Ok, TimeSpan SiloCpu);

    private readonly List<Sample> _samples = [];
    private readonly Stopwatch _clock = new();
    private Thread? _thread;
    private volatile bool _stop;

    public void Start()
    {
        _clock.Start();
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                var sample = new Sample(_clock.Elapsed, runner.LiveOk, silo.CpuTime());
                lock (_samples) _samples.Add(sample);
                Thread.Sleep(100);
            }
        }) { IsBackground = true, Name = "sampler" };
        _thread.Start();
    }

    public IReadOnlyList<Sample> Stop()
    {
        // The last sample is taken now, before stopping, so it matches the phase's end.
        var end = new Sample(_clock.Elapsed, runner.LiveOk, silo.CpuTime());
        _stop = true;
        _thread?.Join();
        lock (_samples)
        {
            _samples.Add(end);
            return [.. _samples.OrderBy(s => s.At)];
        }
    }

    /// <summary>Rate and silo CPU per success in the first and the second half of a phase, from the samples.</summary>
    public static (double FirstRate, double SecondRate, double FirstCpuUs, double SecondCpuUs) Halves(IReadOnlyList<Sample> samples)
    {
        if (samples.Count < 3) return (double.NaN, double.NaN, double.NaN, double.NaN);
        var first = samples[0];
        var last = samples[^1];
        var middleTime = (first.At + last.At) / 2;
        var middle = samples.MinBy(s => Math.Abs((s.At - middleTime).Ticks))!;
        static double Rate(Sample a, Sample b) => (b.Ok - a.Ok) / (b.At - a.At).TotalSeconds;
        static double Cpu(Sample a, Sample b) => b.Ok == a.Ok ? double.NaN : (b.SiloCpu - a.SiloCpu).TotalMicroseconds / (b.Ok - a.Ok);
        return (Rate(first, middle), Rate(middle, last), Cpu(first, middle), Cpu(middle, last));
    }
}
