using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Minsheng.Benchmarks;

/// <summary>
/// The live managed heap of a process, from <c>dotnet-gcdump</c>: it triggers a full blocking collection in the target
/// and walks what survives, so the number is what the process holds, not the garbage RSS happens to keep. The tool is
/// installed by <c>scripts/bench.sh</c> into <c>.tools/</c> (found through <c>MINSHENG_TOOLS</c>).
/// </summary>
internal static partial class GcDump
{
    /// <summary>Live heap bytes of <paramref name="pid"/>, or null (with the reason on stderr) when the tool is missing or fails.</summary>
    public static async Task<long?> LiveHeapBytes(int pid, string workDirectory)
    {
        var tool = Tools.Find("dotnet-gcdump");
        if (tool is null)
        {
            Console.Error.WriteLine("dotnet-gcdump not found (scripts/bench.sh installs it into .tools/); live heap not measured.");
            return null;
        }
        Directory.CreateDirectory(workDirectory);
        var file = Path.Combine(workDirectory, $"heap-{pid}-{Environment.TickCount64}.gcdump");
        try
        {
            if (await Run(tool, "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file) is null) return null;
            var report = await Run(tool, "report", file);
            var match = report is null ? null : HeapLine().Match(report);
            if (match is null || !match.Success)
            {
                Console.Error.WriteLine($"dotnet-gcdump report gave no heap total:\n{report}");
                return null;
            }
            return long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string?> Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode == 0) return await output;
        Console.Error.WriteLine($"dotnet-gcdump {args[0]} exited {process.ExitCode}: {await error}");
        return null;
    }

    [GeneratedRegex(@"^\s*([\d,]+)\s+GC Heap bytes", RegexOptions.Multiline)]
    private static partial Regex HeapLine();
}

/// <summary>Where the diagnostic tools are: <c>MINSHENG_TOOLS</c> (bench.sh's <c>.tools/</c>), the user's global tools, then PATH.</summary>
internal static class Tools
{
    public static string? Find(string name)
    {
        foreach (var dir in new[]
                 {
                     Environment.GetEnvironmentVariable("MINSHENG_TOOLS"),
                     Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"),
                 })
        {
            if (dir is not null && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
