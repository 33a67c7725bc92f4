using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Regions;

namespace Minsheng.Domain.Tests.Regions;

/// <summary>A region's plans ranked by exact ratio: highest first, equal exact ratios share a rank (1, 2, 2, 4) and are listed by plan id.</summary>
public sealed class RegionRankingTests
{
    private static readonly StatusCounts None = new(0, 0, 0, 0);

    private static RegionPlanFigures Plan(string id, long numerator, long denominator) => new(id, id, new Fraction(numerator, denominator), None);

    [Fact]
    public void Ranks_by_ratio_with_ties_sharing_a_rank_and_listed_by_id()
    {
        var ranked = RegionRanking.Rank([Plan("d", 1, 4), Plan("c", 1, 2), Plan("a", 1, 4), Plan("b", 2, 8), Plan("e", 0, 1)]);

        Assert.Equal(["c", "a", "b", "d", "e"], ranked.Select(r => r.PlanId));
        Assert.Equal([1, 2, 2, 2, 5], ranked.Select(r => r.Rank));
        Assert.Equal([0.5m, 0.25m, 0.25m, 0.25m, 0m], ranked.Select(r => r.Ratio));
    }

    /// <summary>Two ratios that round to the same six places are still ranked apart: the rank follows the exact ratio.</summary>
    [Fact]
    public void Ranks_follow_the_exact_ratio_not_its_rounding()
    {
        var ranked = RegionRanking.Rank([Plan("a", 1_000_000, 3_000_001), Plan("b", 1, 3)]);

        Assert.Equal(ranked[0].Ratio, ranked[1].Ratio);
        Assert.Equal(["b", "a"], ranked.Select(r => r.PlanId));
        Assert.Equal([1, 2], ranked.Select(r => r.Rank));
    }

    [Fact]
    public void No_plans_no_ranking() => Assert.Empty(RegionRanking.Rank([]));
}

/// <summary>The catalog's districts and regions: a unit id means something only inside its district.</summary>
public sealed class PlanCatalogDistrictTests
{
    private static Plan Seed => PlanLoader.LoadDirectory(Path.Combine(RepoFiles.Root, "seeds")).Single(p => p.Id == "gongshu-2024");

    [Fact]
    public void Units_are_found_per_district_and_regions_list_their_plans()
    {
        var seed = Seed;
        var catalog = new PlanCatalog([
            seed,
            seed with { Id = "xihu-2024", District = new NamedUnit("xihu", "西湖区") },
            seed with { Id = "solo-2024", District = null, Region = null },
        ]);

        Assert.True(catalog.HasStreet("gongshu", "tianshui"));
        Assert.True(catalog.HasStreet("xihu", "tianshui"));
        Assert.False(catalog.HasStreet("nowhere", "tianshui"));
        Assert.True(catalog.HasDepartment("solo-2024", "health"));
        Assert.Equal(["gongshu", "solo-2024", "xihu"], catalog.DistrictsWithUnit("tianshui", department: false));
        Assert.Empty(catalog.DistrictsWithUnit("tianshui", department: true));

        var region = Assert.Single(catalog.Regions);
        Assert.Equal(new NamedUnit("hangzhou", "杭州市"), region.Region);
        Assert.Equal(["gongshu-2024", "xihu-2024"], region.Plans.Select(p => p.Id));
        Assert.Same(region, catalog.FindRegion("hangzhou"));
        Assert.Null(catalog.FindRegion("ningbo"));
    }
}
