using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;
using Xunit.Abstractions;

namespace Minsheng.Grains.Tests;

/// <summary>
/// Aggregates keep the latest version per assignment: duplicates, stale and reordered messages, and deactivation
/// in the middle of a burst all end with every aggregate holding exactly the owners' facts.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AggregateConvergenceTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Includes_waits_for_a_version_and_says_no_when_it_does_not_come_in_time()
    {
        var project = Grains.GetGrain<IProjectGrain>(GrainKeys.Of("iso-a", "3"));
        // A metric outside the project: nothing to wait for.
        Assert.True(await project.Includes("1.1", "xiaohe", "main", 99, TimeSpan.FromMilliseconds(1)));
        // A version that does not come: no, after the wait (the API's 503).
        Assert.False(await project.Includes("3.1", "xiaohe", "main", 7, TimeSpan.FromMilliseconds(200)));

        // A reader waiting for version 2 is let through by the update that brings it, not by an older one.
        var waiting = project.Includes("3.1", "xiaohe", "main", 2, TimeSpan.FromSeconds(20));
        var v1 = new FactUpdate("3.1", "xiaohe", "main", 1, 1, DateTimeOffset.UnixEpoch, null, null);
        await project.Apply([v1]);
        Assert.False(waiting.IsCompleted);
        await project.Apply([v1 with { Completed = 2, Version = 2 }]);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await project.Includes("3.1", "xiaohe", "main", 1, TimeSpan.Zero));
    }

    [Fact]
    public async Task Older_and_repeated_updates_change_nothing()
    {
        const string plan = "iso-a";
        var project = Grains.GetGrain<IProjectGrain>(GrainKeys.Of(plan, "3"));
        var v2 = new FactUpdate("3.1", "tianshui", "main", 5, 2, DateTimeOffset.UnixEpoch, null, null);
        var v1 = v2 with { Completed = 3, Version = 1 };

        // Apply returns once applied: each read below sees every update sent before it.
        await project.Apply([v2]);
        Assert.Contains(await project.GetFacts(), f => f.TaskId == "3.1" && f.UnitId == "tianshui" && f.Version == 2);
        await project.Apply([v1]);
        await project.Apply([v2, v1, v2]);

        var held = (await project.GetFacts()).Single(f => f.TaskId == "3.1" && f.UnitId == "tianshui");
        Assert.Equal(5, held.Completed);
        Assert.Equal(2, held.Version);
    }

    [Fact]
    public async Task Concurrent_shuffled_reports_with_duplicates_and_deactivation_converge_exactly()
    {
        const string plan = "iso-b";
        var index = ClusterFixture.Catalog.Get(plan);
        const int seed = 7;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var assignments = index.AllAssignments.OrderBy(_ => random.Next()).ToList();
        var halfway = assignments.Count / 2;
        var sent = 0;

        await Parallel.ForEachAsync(assignments, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (a, _) =>
        {
            var owner = Owner(plan, a);
            var steps = (int)Math.Min(a.Assignment.Target, 3);
            for (var k = 1; k <= steps; k++)
            {
                var command = Command(a, $"{a.Key}-{k}", a.Assignment.Target * k / steps);
                Assert.Equal(201, (await owner.Report(command)).Status);
                Assert.Equal(200, (await owner.Report(command)).Status); // duplicate delivery
            }
            if (Interlocked.Increment(ref sent) == halfway) await DeactivateAll(plan, index);
        });

        await fixture.Settle(plan);
        var truth = await OwnerFacts(plan, index);
        await AssertConverged(Grains.GetGrain<IPlanGrain>(plan), truth, index.AllAssignments.Select(a => a.Key));
        foreach (var p in index.Plan.Projects)
            await AssertConverged(Grains.GetGrain<IProjectGrain>(GrainKeys.Of(plan, p.Id)), truth,
                index.AssignmentsOf(index.TasksOf(p)).Select(a => a.Key));
        foreach (var d in index.Plan.Departments)
            await AssertConverged(Grains.GetGrain<IDepartmentGrain>(GrainKeys.Of(plan, d.Id)), truth,
                index.AssignmentsOf(index.TasksLedBy(d.Id)).Select(a => a.Key));
        foreach (var l in index.Plan.Leaders)
            await AssertConverged(Grains.GetGrain<ILeaderGrain>(GrainKeys.Of(plan, l.Id)), truth,
                index.AssignmentsOf(index.ProjectsOf(l.Id).SelectMany(index.TasksOf)).Select(a => a.Key));
        Assert.All(truth.Values, f => Assert.True(f.Version >= 1));
    }

    [Fact]
    public async Task A_reactivated_aggregate_rebuilds_itself_from_the_owners_at_once()
    {
        const string plan = "iso-c";
        var index = ClusterFixture.Catalog.Get(plan);
        foreach (var a in index.AllAssignments.Where(a => a.Task.ProjectId == "8"))
            Assert.Equal(201, (await Owner(plan, a).Report(Command(a, $"r-{a.Key}", a.Assignment.Target))).Status);

        var project = Grains.GetGrain<IProjectGrain>(GrainKeys.Of(plan, "8"));
        await project.Deactivate();
        // No waiting: the new activation pulls every fact from the owners before it answers.
        var facts = await project.GetFacts();
        foreach (var a in index.AllAssignments.Where(a => a.Task.ProjectId == "8"))
            Assert.Equal(a.Assignment.Target, facts.Single(f => f.TaskId == a.Task.Id && f.UnitId == a.Assignment.UnitId).Completed);
    }

    private IAssignmentOwnerGrain Owner(string plan, AssignmentRef a) =>
        PlanIndex.OwnerOf(a.Task, a.Assignment.UnitId) is { Kind: OwnerKind.Street } s
            ? Grains.GetGrain<IStreetGrain>(GrainKeys.Of(plan, s.Id))
            : Grains.GetGrain<IDepartmentGrain>(GrainKeys.Of(plan, a.Task.LeadDepartment));

    private static ReportCommand Command(AssignmentRef a, string reportId, long completed) =>
        new(reportId.Replace('/', '-'), a.Task.Id, a.Assignment.UnitId, a.Assignment.MetricId, completed, null, [], false, null, "test");

    private async Task DeactivateAll(string plan, PlanIndex index)
    {
        await Grains.GetGrain<IPlanGrain>(plan).Deactivate();
        foreach (var p in index.Plan.Projects) await Grains.GetGrain<IProjectGrain>(GrainKeys.Of(plan, p.Id)).Deactivate();
        foreach (var d in index.Plan.Departments) await Grains.GetGrain<IDepartmentGrain>(GrainKeys.Of(plan, d.Id)).Deactivate();
        foreach (var l in index.Plan.Leaders) await Grains.GetGrain<ILeaderGrain>(GrainKeys.Of(plan, l.Id)).Deactivate();
    }

    private async Task<Dictionary<AssignmentKey, FactUpdate>> OwnerFacts(string plan, PlanIndex index)
    {
        var owners = index.AllAssignments.Select(a => Owner(plan, a)).Distinct();
        var facts = await Task.WhenAll(owners.Select(o => o.GetOwnFacts()));
        return facts.SelectMany(f => f).ToDictionary(f => f.Key());
    }

    /// <summary>After the settled signal an aggregate holds exactly the owners' facts: no reading twice.</summary>
    private static async Task AssertConverged(IProgressAggregate aggregate, Dictionary<AssignmentKey, FactUpdate> truth, IEnumerable<AssignmentKey> keys)
    {
        var expected = keys.Select(k => (k, truth[k].Completed, truth[k].Version)).OrderBy(x => x.k.ToString()).ToList();
        var held = (await aggregate.GetFacts()).Select(f => (f.Key(), f.Completed, f.Version)).OrderBy(x => x.Item1.ToString()).ToList();
        Assert.Equal(expected, held);
    }
}
