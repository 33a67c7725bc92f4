using Microsoft.Extensions.Configuration;
using Minsheng.Domain.Plans;

namespace Minsheng.Hosting;

/// <summary>The plan files every process started from the silo's entry point reads: the host, <c>token</c> and demo mode.</summary>
public static class PlanSeeds
{
    /// <summary>
    /// Reads every plan file of <c>Minsheng:Seeds</c>, or of the nearest <c>seeds/</c> folder above the content root or
    /// the program's own folder, so the same checkout finds its plans whether run with <c>dotnet run</c> or from a build.
    /// </summary>
    public static PlanCatalog Load(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration[$"{MinshengOptions.Section}:Seeds"];
        var folder = configured ?? FindSeeds(contentRoot) ?? FindSeeds(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("No seeds folder found: set Minsheng:Seeds to the folder of *.plan.json files.");
        var catalog = new PlanCatalog(PlanLoader.LoadDirectory(folder));
        if (catalog.Plans.Count == 0) throw new InvalidOperationException($"No *.plan.json in {folder}.");
        return catalog;
    }

    internal static string? FindSeeds(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var seeds = Path.Combine(dir.FullName, "seeds");
            if (Directory.Exists(seeds) && Directory.EnumerateFiles(seeds, "*.plan.json").Any()) return seeds;
        }
        return null;
    }
}
