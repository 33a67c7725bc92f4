using Microsoft.Extensions.DependencyInjection;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;
using Orleans.TestingHost;

namespace Minsheng.Grains.Tests;

/// <summary>
/// One-way progress messages are best effort. A silo that drops every pushed update to project grains still ends exact:
/// the aggregates' periodic reconciliation pulls the facts from the owners.
/// </summary>
public sealed class LostMessageTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new TestClusterBuilder(initialSilosCount: 1)
        .AddSiloBuilderConfigurator<DroppingSilo>()
        .AddClientBuilderConfigurator<GrainTestClient>()
        .Build();

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Reconciliation_heals_progress_messages_that_never_arrived()
    {
        const string plan = "gongshu-2024";
        var index = ClusterFixture.Catalog.Get(plan);
        var project = _cluster.GrainFactory.GetGrain<IProjectGrain>(GrainKeys.Of(plan, "4"));
        Assert.All(await project.GetFacts(), f => Assert.Equal(0, f.Completed)); // activated before any report

        foreach (var a in index.AllAssignments.Where(a => a.Task.ProjectId == "4"))
        {
            var owner = _cluster.GrainFactory.GetGrain<IStreetGrain>(GrainKeys.Of(plan, a.Assignment.UnitId));
            var outcome = await owner.Report(new ReportCommand($"lost-{a.Task.Id}-{a.Assignment.UnitId}", a.Task.Id, a.Assignment.UnitId,
                a.Assignment.MetricId, a.Assignment.Target, null, [], false, null, "test"));
            Assert.Equal(201, outcome.Status);
        }
        // Every push to a project grain was dropped; only the aggregate's own reconciliation can bring the facts in.
        Assert.True(DropProjectUpdates.Dropped > 0, "the filter dropped nothing: the test would prove nothing");

        // The reconcile timer (100 ms here) pulls from the owners: it gives no signal (settling would only await the
        // dropped pushes), so poll, bounded and loudly, for it to heal the project grain.
        var facts = await Poll.Until(project.GetFacts, f => f.All(x => x.Completed > 0), "the project grain's reconciliation to pull every fact",
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        foreach (var a in index.AllAssignments.Where(a => a.Task.ProjectId == "4"))
            Assert.Equal(a.Assignment.Target, facts.Single(f => f.TaskId == a.Task.Id && f.UnitId == a.Assignment.UnitId).Completed);
    }

    /// <summary>Drops every pushed update to a project grain, as a lost one-way message would be.</summary>
    private sealed class DropProjectUpdates : IIncomingGrainCallFilter
    {
        public static int Dropped;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is IProjectGrain && context.ImplementationMethod.Name == nameof(IProgressAggregate.Apply))
            {
                Interlocked.Increment(ref Dropped);
                return Task.CompletedTask;
            }
            return context.Invoke();
        }
    }

    private static readonly Minsheng.Grains.ReportLog.InMemoryReportLog Log = new();

    private sealed class DroppingSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMinshengForTests(Log);
            silo.AddIncomingGrainCallFilter<DropProjectUpdates>();
            silo.Services.Configure<AggregateOptions>(o => o.ReconcileInterval = TimeSpan.FromMilliseconds(100));
        }
    }
}
