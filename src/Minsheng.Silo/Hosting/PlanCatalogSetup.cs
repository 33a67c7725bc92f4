using Minsheng.Domain.Plans;

namespace Minsheng.Silo.Hosting;

/// <summary>Loads every plan file under the seeds folder into the <see cref="PlanCatalog"/> at start.</summary>
public static class PlanCatalogSetup
{
    /// <summary>Registers the catalog of plans read from <c>Minsheng:Seeds</c> (or the nearest <c>seeds/</c> folder).</summary>
    public static WebApplicationBuilder AddPlanCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(PlanSeeds.Load(builder));
        return builder;
    }
}
