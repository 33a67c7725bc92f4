using Minsheng.Domain.Plans;
using Minsheng.Domain.Plans.Generation;

namespace Minsheng.Domain.Tests.Plans.Generation;

/// <summary>Generated plans (issue 19's province and nation scales): gongshu-2024's shape, valid, and the same for the same seed.</summary>
public sealed class PlanGeneratorTests
{
    [Fact]
    public void The_same_seed_writes_the_same_files_and_another_seed_other_ones()
    {
        var slot = PlanScale.Province.Slots()[12];

        var once = PlanJson.Serialize(PlanGenerator.Generate(7, slot));
        var again = PlanJson.Serialize(PlanGenerator.Generate(7, slot));
        var other = PlanJson.Serialize(PlanGenerator.Generate(8, slot));

        Assert.Equal(once, again);
        Assert.NotEqual(once, other);
    }

    [Fact]
    public void Every_plan_of_many_seeds_is_valid_and_has_gongshus_shape()
    {
        var streetCounts = new HashSet<int>();
        foreach (var seed in Enumerable.Range(0, 40))
        foreach (var slot in PlanScale.Province.Slots().Take(10))
        {
            var plan = PlanGenerator.Generate(seed, slot);

            Assert.Empty(PlanValidator.Validate(plan));
            // Through the file format too: what is written is what the loader reads.
            Assert.Empty(PlanValidator.Validate(PlanJson.Deserialize(PlanJson.Serialize(plan), plan.Id)));
            Assert.Equal(10, plan.Projects.Count);
            Assert.Equal(22, plan.Tasks.Count);
            Assert.Equal((8, 4), (plan.Departments.Count, plan.Leaders.Count));
            Assert.InRange(plan.Streets.Count, PlanGenerator.MinStreets, PlanGenerator.MaxStreets);
            Assert.Equal(["screening", "guidance"], plan.Tasks.Single(t => t.Id == "5.2").Metrics.Select(m => m.Id));
            Assert.Contains(plan.Tasks, t => t.Assignments.Any(a => a.UnitId == PlanUnits.District));
            Assert.Equal(new DateTimeOffset(2024, 11, 30, 23, 59, 59, TimeSpan.FromHours(8)), plan.Deadline);
            Assert.Equal(new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.FromHours(8)), plan.FinalDeadline);
            Assert.Equal(slot.Region, plan.Region);
            Assert.NotNull(plan.District);
            streetCounts.Add(plan.Streets.Count);
        }

        // The random reaches across the range, not one size for all.
        Assert.True(streetCounts.Count > 10, string.Join(",", streetCounts));
    }

    [Fact]
    public void A_plan_at_18_streets_has_about_gongshus_185_assignments()
    {
        var sizes = Enumerable.Range(0, 400).Select(i => PlanGenerator.Generate(3, new PlanSlot(i, PlanScale.Region(1), i + 1)))
            .Where(p => p.Streets.Count == 18).Select(p => p.Tasks.Sum(t => t.Assignments.Count)).ToList();

        Assert.NotEmpty(sizes);
        Assert.All(sizes, size => Assert.Equal(185, size));
    }

    [Fact]
    public void Province_is_90_plans_in_one_region()
    {
        var plans = PlanGenerator.Generate(1, PlanScale.Province).ToList();

        Assert.Equal(90, plans.Count);
        Assert.Single(plans.Select(p => p.Region).Distinct());
        Assert.Equal(new NamedUnit("province-01", "第1省"), plans[0].Region);
        Assert.Equal("gen-province-01-0001-2024", plans[0].Id);
        Assert.Equal(90, plans.Select(p => p.Id).Distinct().Count());
        Assert.Equal(90, plans.Select(p => p.DistrictId).Distinct().Count());
    }

    [Fact]
    public void Nation_is_2800_plans_in_31_regions_of_about_90_with_unique_ids()
    {
        var slots = PlanScale.Nation.Slots();

        Assert.Equal(2_800, slots.Count);
        var regions = slots.GroupBy(s => s.Region).ToList();
        Assert.Equal(31, regions.Count);
        Assert.All(regions, r => Assert.InRange(r.Count(), 90, 91));
        Assert.Equal(31, regions.Select(r => r.Key.Id).Distinct().Count());
        // Ids and districts come from the slots alone; a sample of plans shows them in the plans themselves.
        var sample = slots.Where(s => s.Ordinal % 97 == 0).Select(s => PlanGenerator.Generate(1, s)).ToList();
        Assert.All(sample, p => Assert.Empty(PlanValidator.Validate(p)));
        var ids = slots.Select(s => $"gen-{s.Region.Id}-{s.NumberInRegion:0000}-2024").ToList();
        Assert.Equal(2_800, ids.Distinct().Count());
        Assert.All(sample, p => Assert.Contains(p.Id, ids));
        Assert.Equal(2_800, slots.Select(s => (s.Region.Id, s.NumberInRegion)).Distinct().Count());
    }

    [Theory]
    [InlineData("gongshu", 0, 0)]
    [InlineData("province", 90, 1)]
    [InlineData("nation", 2_800, 31)]
    [InlineData("500", 500, 6)]
    [InlineData("1", 1, 1)]
    public void Scales_parse_by_name_or_number(string text, int plans, int regions)
    {
        var scale = PlanScale.Parse(text);

        Assert.NotNull(scale);
        Assert.Equal((plans, regions), (scale.Plans, scale.Regions));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("city")]
    [InlineData("")]
    public void Other_scales_are_refused(string text) => Assert.Null(PlanScale.Parse(text));
}
