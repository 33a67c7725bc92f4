using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Minsheng.Domain.Plans;

namespace Minsheng.Hosting;

/// <summary>The plan files every process started from the silo's entry point reads: the host, <c>token</c> and demo mode.</summary>
public static class PlanSeeds
{
    /// <summary>
    /// Reads every plan file of <c>Minsheng:Seeds</c>, or of the nearest <c>seeds/</c> folder above the content root or
    /// the program's own folder, so the same checkout finds its plans whether run with <c>dotnet run</c> or from a build.
    /// </summary>
    public static PlanCatalog Load(MinshengOptions options, string contentRoot)
    {
        var folder = options.SeedsFolder ?? FindSeeds(contentRoot) ?? FindSeeds(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"No seeds folder found: set {MinshengOptions.Section}:Seeds to the folder of *.plan.json files.");
        var catalog = new PlanCatalog(PlanLoader.LoadDirectory(folder));
        if (catalog.Plans.Count == 0) throw new InvalidOperationException($"No *.plan.json in {folder}.");
        return catalog;
    }

    /// <summary>The plans of a host being built, with its settings read and checked once (<see cref="MinshengOptions.ReadEarly"/>).</summary>
    public static PlanCatalog Load(IHostApplicationBuilder builder) =>
        Load(MinshengOptions.ReadEarly(builder), builder.Environment.ContentRootPath);

    /// <summary>The plans of a command, its settings checked by the same rules as the host's.</summary>
    public static PlanCatalog Load(IConfiguration configuration, string contentRoot) =>
        Load(ValidatedOptions.Read<MinshengOptions, MinshengOptionsRules>(configuration, MinshengOptions.Section), contentRoot);

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
