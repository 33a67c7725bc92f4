using System.Runtime.InteropServices;

namespace Minsheng.Benchmarks;

/// <summary>
/// Child processes and servers to stop however the benchmark ends: normally each is disposed by its owner; on Ctrl+C
/// (SIGINT), SIGTERM or SIGHUP whatever is still registered is disposed here, newest first, before the process exits
/// (the signal's default action, ending the process, follows).
/// </summary>
internal static class Cleanup
{
    private static readonly List<IAsyncDisposable> Items = [];
    private static readonly List<PosixSignalRegistration> Signals = [];
    private static int _installed;

    public static void Register(IAsyncDisposable item)
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
                Signals.Add(PosixSignalRegistration.Create(signal, context => RunAll(context.Signal.ToString())));
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll(null);
        }
        lock (Items) Items.Add(item);
    }

    public static void Unregister(IAsyncDisposable item)
    {
        lock (Items) Items.Remove(item);
    }

    private static void RunAll(string? why)
    {
        IAsyncDisposable[] items;
        lock (Items) items = [.. Items];
        if (items.Length == 0) return;
        if (why is not null) Console.Error.WriteLine($"Benchmark got {why}: stopping {items.Length} child process(es) and server(s).");
        foreach (var item in items.Reverse())
        {
            try
            {
                item.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"Cleanup of {item.GetType().Name} failed: {e.Message}");
            }
        }
    }
}
