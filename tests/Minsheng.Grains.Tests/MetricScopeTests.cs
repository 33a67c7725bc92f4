using Minsheng.Domain.Plans;
using Minsheng.Grains.Telemetry;

namespace Minsheng.Grains.Tests;

/// <summary>
/// Metric series stay bounded at any number of plans: per plan and unit up to the limit, per region (summed) above it,
/// with the per-plan project and street gauges left out there.
/// </summary>
public sealed class MetricScopeTests
{
    private static PlanCatalog Catalog(int plans)
    {
        var seed = ClusterFixture.Catalog.Plans[0].Plan;
        return new PlanCatalog(Enumerable.Range(1, plans).Select(i => seed with
        {
            Id = $"plan-{i:D4}",
            Region = new NamedUnit(i % 2 == 0 ? "even" : "odd", i % 2 == 0 ? "偶" : "奇"),
        }));
    }

    private static Dictionary<string, object?> Tags(KeyValuePair<string, object?>[] tags) => tags.ToDictionary(t => t.Key, t => t.Value);

    [Fact]
    public void Up_to_the_limit_series_name_the_plan_the_unit_and_the_region()
    {
        var scope = new MetricScope(Catalog(3), planSeriesLimit: 3);
        Assert.True(scope.PerPlan);
        Assert.Equal(new Dictionary<string, object?> { ["plan"] = "plan-0001", ["region"] = "odd", ["kind"] = "overdue" },
            Tags(scope.Plan("plan-0001", GrainMetrics.Tag("kind", "overdue"))));
        Assert.Equal(new Dictionary<string, object?> { ["unit"] = "tianshui", ["region"] = "even" },
            Tags(scope.Unit("plan-0002", OwnerKind.Street, "tianshui")));
    }

    [Fact]
    public void Above_the_limit_series_name_the_region_and_the_units_kind_only()
    {
        var scope = new MetricScope(Catalog(4), planSeriesLimit: 3);
        Assert.False(scope.PerPlan);
        Assert.Equal(new Dictionary<string, object?> { ["region"] = "odd" }, Tags(scope.Plan("plan-0003")));
        Assert.Equal(new Dictionary<string, object?> { ["unit_kind"] = "department", ["region"] = "even" },
            Tags(scope.Unit("plan-0004", OwnerKind.Department, "health")));
    }

    [Fact]
    public void Above_the_limit_the_gauges_are_summed_per_region_and_plan_internal_ones_are_left_out()
    {
        var scope = new MetricScope(Catalog(4), planSeriesLimit: 3);
        var gauges = new PlanGauges(scope);
        foreach (var (id, count) in new[] { ("plan-0001", 1), ("plan-0002", 2), ("plan-0003", 4) })
            gauges.SetPlan(id, new PlanGauges.PlanFigures(new Minsheng.Domain.Progress.StatusCounts(count, 0, 0, 0), [("1", 0.5)], [("tianshui", 1)]));
        var done = gauges.Assignments().Where(m => Tags(m.Tags.ToArray())["status"] as string == "done")
            .ToDictionary(m => (string)Tags(m.Tags.ToArray())["region"]!, m => m.Value);
        Assert.Equal(new Dictionary<string, long> { ["odd"] = 5, ["even"] = 2 }, done);
        Assert.All(gauges.Assignments(), m => Assert.DoesNotContain("plan", Tags(m.Tags.ToArray()).Keys));
        Assert.Empty(gauges.ProjectRatios());
        Assert.Empty(gauges.OverdueByStreet());
    }
}
