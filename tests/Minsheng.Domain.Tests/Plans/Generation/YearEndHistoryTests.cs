using Minsheng.Domain.Plans;
using Minsheng.Domain.Plans.Generation;

namespace Minsheng.Domain.Tests.Plans.Generation;

/// <summary>The bulk year-end history: every chain whole, counts never falling, stamps rising inside the year.</summary>
public sealed class YearEndHistoryTests
{
    [Fact]
    public void Every_assignment_metric_has_a_whole_chain_within_the_year()
    {
        var plan = PlanGenerator.Generate(5, PlanScale.Province.Slots()[3]);

        var rows = YearEndHistory.Of(plan, 50, seed: 5);

        Assert.Equal(plan.Tasks.Sum(t => t.Assignments.Count) * 50, rows.Count);
        Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First.At <= p.Second.At), "rows come in stamp order");
        foreach (var chain in rows.GroupBy(r => (r.Task.Id, r.Assignment.UnitId, r.Assignment.MetricId)))
        {
            var list = chain.ToList();
            Assert.Equal(Enumerable.Range(1, 50).Select(v => (long)v), list.Select(r => r.Version));
            Assert.Equal(0, list[0].Previous);
            for (var i = 1; i < list.Count; i++)
            {
                Assert.Equal(list[i - 1].Completed, list[i].Previous);
                Assert.True(list[i].Completed >= list[i].Previous);
                Assert.True(list[i].At > list[i - 1].At);
            }
            Assert.InRange(list[^1].Completed, 0, list[0].Assignment.Target);
            Assert.True(list[0].At >= new DateTimeOffset(plan.Start.ToDateTime(TimeOnly.MinValue), plan.Deadline.Offset));
            Assert.True(list[^1].At < plan.Deadline);
            var expectedOwner = chain.Key.UnitId == PlanUnits.District
                ? new OwnerRef(OwnerKind.Department, list[0].Task.LeadDepartment)
                : new OwnerRef(OwnerKind.Street, chain.Key.UnitId);
            Assert.All(list, r => Assert.Equal(expectedOwner, r.Owner));
            var done = list.FirstOrDefault(r => r.Completed >= r.Assignment.Target);
            Assert.All(list, r => Assert.Equal(done is not null && r.Version >= done.Version ? done.At : null, r.DoneAt));
        }

        // Most cells end done, some short of their target.
        var finals = rows.GroupBy(r => (r.Task.Id, r.Assignment.UnitId, r.Assignment.MetricId)).Select(g => g.Last()).ToList();
        Assert.Contains(finals, r => r.Completed == r.Assignment.Target);
        Assert.Contains(finals, r => r.Completed < r.Assignment.Target);
    }

    [Fact]
    public void The_same_seed_gives_the_same_rows()
    {
        var plan = PlanGenerator.Generate(2, PlanScale.Province.Slots()[0]);

        Assert.Equal(YearEndHistory.Of(plan, 3, 9).Select(Text), YearEndHistory.Of(plan, 3, 9).Select(Text));
    }

    private static string Text(HistoryRow r) => $"{r.Task.Id}/{r.Assignment.UnitId}/{r.Assignment.MetricId}/{r.Version}/{r.Completed}/{r.At:O}";
}
