using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>A scrape in the Prometheus text format, read just enough to find series and sum their values.</summary>
public sealed partial class PrometheusText(string text)
{
    public string Text { get; } = text;

    public IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> Samples { get; } = Parse(text);

    public ISet<string> Names => Samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) => Samples
        .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
        .Sum(s => s.Value);

    private static List<(string, IReadOnlyDictionary<string, string>, double)> Parse(string text)
    {
        var samples = new List<(string, IReadOnlyDictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = SampleLine().Match(line);
            if (!m.Success) continue;
            var labels = Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => Regex.Unescape(l.Groups[2].Value));
            var value = m.Groups["value"].Value switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, var v => double.Parse(v, CultureInfo.InvariantCulture) };
            samples.Add((m.Groups["name"].Value, labels, value));
        }
        return samples;
    }

    /// <summary>Runs Debian's <c>promtool</c> with <paramref name="arguments"/>, feeding <paramref name="stdin"/>; null when promtool is absent.</summary>
    public static async Task<(int ExitCode, string Output)?> Promtool(string? stdin, params string[] arguments)
    {
        if (!File.Exists("/usr/bin/promtool")) return null;
        var info = new ProcessStartInfo("/usr/bin/promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Why a promtool check is not run: the test script installs Debian's prometheus package, so only when that failed.</summary>
    public const string PromtoolMissing = "promtool is missing (Debian's prometheus package could not be installed): the promtool check was skipped";

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
