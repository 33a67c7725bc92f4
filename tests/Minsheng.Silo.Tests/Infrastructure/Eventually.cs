using System.Diagnostics;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>
/// Aggregates hear of reports by one-way messages: a read of them is eventually right. This reads until the value
/// settles or the bound passes, and returns the last reading either way, for the caller to assert on.
/// </summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> settled, int seconds = 15)
    {
        var watch = Stopwatch.StartNew();
        var last = await read();
        while (!settled(last) && watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(50);
            last = await read();
        }
        return last;
    }
}
