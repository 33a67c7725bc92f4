using System.Collections;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Minsheng.Testing;

/// <summary>
/// The one polling wait, for what gives no signal to await (a process starting to listen, a line in a log, a scrape, an
/// event arriving). It reads until the condition holds and throws a <see cref="TimeoutException"/> naming what it
/// waited for, how long, and the last value read when it does not: a wait never returns quietly on timeout.
/// </summary>
public static class Poll
{
    /// <summary>The bound when the caller gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Reads with <paramref name="read"/> until <paramref name="done"/> holds; returns that reading.</summary>
    /// <param name="what">What is awaited, for the timeout's message ("the rollup to reach 0.5").</param>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var bound = timeout ?? DefaultTimeout;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var last = await read();
            if (done(last)) return last;
            if (watch.Elapsed >= bound)
                throw new TimeoutException($"Timed out after {watch.Elapsed.TotalSeconds:0.#} s waiting for {what}; last value: {Describe(last)}");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds (a condition with nothing to return).</summary>
    public static Task Until(Func<bool> done, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        Until(() => Task.FromResult(done()), d => d, what, timeout, interval);

    /// <summary>A value as the timeout's message shows it: JSON as JSON, collections by their items, at most 2,000 characters.</summary>
    public static string Describe(object? value)
    {
        var text = value switch
        {
            null => "null",
            JsonNode node => node.ToJsonString(),
            string s => s,
            IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
            _ => value.ToString() ?? "",
        };
        return text.Length <= 2000 ? text : text[..2000] + $"… ({text.Length} characters)";
    }
}
