namespace Minsheng.Testing;

/// <summary>Where things are in the repository the tests and the benchmark run from.</summary>
public static class RepoPaths
{
    /// <summary>The directory holding Minsheng.Grains.sln: up from the binaries, else up from the working directory.</summary>
    public static string Root { get; } = FindRoot();

    public static string Seeds => Path.Combine(Root, "seeds");

    public static string PostgresScript => Path.Combine(Root, "scripts", "postgres.sh");

    /// <summary>The silo's own build output, in the configuration the caller was built in.</summary>
    public static string SiloDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var dll = Path.Combine(Root, "src", "Minsheng.Silo", "bin", configuration, "net10.0", "Minsheng.Silo.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the solution first: {dll} is missing.");
        }
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Minsheng.Grains.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cannot find the repository root (Minsheng.Grains.sln): run from inside the repository.");
    }
}
