using Minsheng.Domain.Plans;

namespace Minsheng.Silo.Hosting;

/// <summary>Loads every plan file under the seeds folder into the <see cref="PlanCatalog"/> at start.</summary>
public static class PlanCatalogSetup
{
    /// <summary>Registers the catalog of plans read from <c>Minsheng:Seeds</c> (or the nearest <c>seeds/</c> folder).</summary>
    public static WebApplicationBuilder AddPlanCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(Load(builder.Configuration, builder.Environment.ContentRootPath));
        return builder;
    }

    /// <summary>Reads every plan file of the configured (or nearest) seeds folder; the host and the token command share it.</summary>
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
