using Minsheng.Domain.Plans;

namespace Minsheng.Exports.Tests;

/// <summary>The checked-in gongshu-2024 plan, found from the repository root.</summary>
internal static class Gongshu
{
    public static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    public static PlanIndex Plan { get; } = new(PlanLoader.LoadDirectory(Path.Combine(FindRoot(), "seeds")).Single(p => p.Id == "gongshu-2024"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Minsheng.Grains.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Minsheng.Grains.sln above {AppContext.BaseDirectory}");
    }
}
