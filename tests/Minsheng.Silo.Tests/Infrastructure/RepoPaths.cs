namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>Where things are in the repository the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Seeds => Path.Combine(Root, "seeds");

    public static string PostgresScript => Path.Combine(Root, "scripts", "postgres.sh");

    /// <summary>The silo's own build output, in the configuration these tests were built in.</summary>
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
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Minsheng.Grains.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cannot find the repository root (Minsheng.Grains.sln).");
    }
}
