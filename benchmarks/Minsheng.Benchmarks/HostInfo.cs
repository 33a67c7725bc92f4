using System.Reflection;
using System.Runtime.InteropServices;

namespace Minsheng.Benchmarks;

/// <summary>Where the repository and the silo build are, and what machine this run is on.</summary>
internal static class HostInfo
{
    public static void PrintMachine(BenchOptions options, string siloDll)
    {
        static string FirstLine(string file, string prefix) => File.Exists(file)
            ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        Console.WriteLine("## Machine");
        Console.WriteLine($"- nproc: {Environment.ProcessorCount}; CPU: {FirstLine("/proc/cpuinfo", "model name")}; memory: {FirstLine("/proc/meminfo", "MemTotal")}");
        Console.WriteLine($"- OS: {RuntimeInformation.OSDescription}; .NET runtime: {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture})");
        Console.WriteLine($"- benchmark build: {Assembly.GetExecutingAssembly().GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration}; " +
                          $"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}; silo: {siloDll}");
        Console.WriteLine($"- settings: concurrency {options.Concurrency}, phases {options.PhaseLength.TotalSeconds:0} s, burst {options.PostLength.TotalSeconds:0} s, " +
                          $"warm-up {options.WarmUp.TotalSeconds:0} s, drain limit {options.DrainLimit.TotalSeconds:0} s; modes {string.Join(", ", options.Modes)}; " +
                          $"PostgreSQL fsync {(options.PostgresFsync ? "on" : "off")}");
        Console.WriteLine($"- load average at the start: {LoadAverage()}");
        Console.WriteLine();
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";

    public static string RepositoryRoot() => Minsheng.Testing.RepoPaths.Root;

    /// <summary>
    /// The silo as its own project built it, in this benchmark's configuration (dotnet run -c Release builds both);
    /// else the copy next to this benchmark, when it has its runtimeconfig.
    /// </summary>
    public static string LocateSiloDll(string root)
    {
        var configuration = Assembly.GetExecutingAssembly().GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var own = Path.Combine(root, "src", "Minsheng.Silo", "bin", configuration, framework, "Minsheng.Silo.dll");
        if (File.Exists(own) && File.Exists(Path.ChangeExtension(own, ".runtimeconfig.json"))) return own;
        var copied = typeof(global::Program).Assembly.Location;
        if (File.Exists(Path.ChangeExtension(copied, ".runtimeconfig.json"))) return copied;
        throw new InvalidOperationException($"Minsheng.Silo.dll not found at {own}: build src/Minsheng.Silo -c {configuration} or pass --silo-dll.");
    }
}
