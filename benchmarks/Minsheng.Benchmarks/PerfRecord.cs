using System.Diagnostics;
using System.Globalization;

namespace Minsheng.Benchmarks;

/// <summary>
/// <c>perf record -g -a</c> for one phase (<c>--perf DIR</c>): CPU samples of running threads on every CPU with call
/// graphs (the silo's and PostgreSQL's alike: <c>perf script --pid</c> with the pid in <c>FILE.pid</c>, or
/// <c>--comm postgres</c>, picks whose); managed frames are named from the silo's perf map (<c>/tmp/perf-PID.map</c>, written because the
/// benchmark starts it with <c>DOTNET_PerfMapEnabled=1</c>, and <c>DOTNET_EnableWriteXorExecute=0</c> so JIT code is not behind a double mapping perf cannot name). Read with
/// <c>perf report -i FILE --no-children --sort symbol --stdio</c>. Sampling costs a little CPU; a profiled run's rates
/// are not the benchmark's numbers.
/// </summary>
internal sealed class PerfRecord : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _file;
    private int _disposed;

    private PerfRecord(Process process, string file)
    {
        _process = process;
        _file = file;
    }

    public static PerfRecord Start(int pid, string file, TimeSpan duration)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var start = new ProcessStartInfo("perf") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // All CPUs, so PostgreSQL's backends are in the same recording as the silo; the silo's pid is kept beside it
        // for `perf script --pid`.
        System.IO.File.WriteAllText(file + ".pid", pid.ToString(CultureInfo.InvariantCulture));
        foreach (var a in new[] { "record", "-F", "499", "-g", "-a", "-o", file, "--",
                     "sleep", (duration.TotalSeconds + 1).ToString("0", CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException("perf did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"perf: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var record = new PerfRecord(process, file);
        Cleanup.Register(record);
        return record;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Cleanup.Unregister(this);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Console.WriteLine($"perf wrote {_file}");
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            if (!_process.HasExited) _process.Kill();
        }
        _process.Dispose();
    }
}
