using System.Diagnostics;

namespace Minsheng.Benchmarks;

/// <summary>
/// <c>dotnet-trace collect</c> (default profile: sampled managed thread stacks plus runtime events) attached to the silo
/// for one phase (<c>--trace DIR</c>), stopped by its own <c>--duration</c>; read the result with <c>dotnet-trace report FILE topN</c>. Tracing costs CPU, so
/// a traced run's numbers are not the benchmark's numbers.
/// </summary>
internal sealed class DotnetTrace : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;

    private DotnetTrace(Process process, string file)
    {
        _process = process;
        File = file;
    }

    public string File { get; }

    public static DotnetTrace Start(int pid, string file, TimeSpan duration)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var start = new ProcessStartInfo(Tools.Find("dotnet-trace") ?? "dotnet-trace")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var length = duration + TimeSpan.FromSeconds(1);
        foreach (var a in new[] { "collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", file,
                     "--duration", $"{length.Days:00}:{length.Hours:00}:{length.Minutes:00}:{length.Seconds:00}" })
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"dotnet-trace: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var trace = new DotnetTrace(process, file);
        Cleanup.Register(trace);
        Thread.Sleep(1000); // the session attaches before the measured phase starts
        return trace;
    }

    /// <summary>Waits for the session to end (it traces for the phase's length plus a second) and the file to be written.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Cleanup.Unregister(this);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Console.WriteLine($"dotnet-trace wrote {File}");
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            if (!_process.HasExited) _process.Kill();
        }
        _process.Dispose();
    }
}
