using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Minsheng.Grains.Tests;

/// <summary>
/// Cost follows the work: the one supervision schedule runs every plan's year without waking a single owner, project or
/// plan grain; once the work is done every plan grain is collected as idle (nothing keeps one active: no timer, no
/// reminder of its own), and a wake with nothing due activates nothing. Collection is shortened to seconds here.
/// </summary>
public sealed class IdlePlanTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new TestClusterBuilder(initialSilosCount: 1)
        .AddSiloBuilderConfigurator<QuickCollection>()
        .AddClientBuilderConfigurator<GrainTestClient>()
        .Build();

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static readonly string[] PlanGrainTypes =
        ["StreetGrain", "DepartmentGrain", "ProjectGrain", "LeaderGrain", "PlanGrain", "SupervisorGrain", "ReviewsGrain", "PlanEventsGrain"];

    private async Task<Dictionary<string, int>> Activations()
    {
        var stats = await _cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return PlanGrainTypes.ToDictionary(t => t, t => stats.Where(s => s.GrainType.Split(',')[0].EndsWith("." + t, StringComparison.Ordinal)).Sum(s => s.ActivationCount));
    }

    [Fact]
    public async Task The_schedule_runs_each_plans_year_without_waking_its_owners_and_idle_plans_are_collected()
    {
        var schedule = _cluster.GrainFactory.GetGrain<ISupervisionScheduleGrain>(ISupervisionScheduleGrain.Key);
        // The system clock is past the seed plans' final deadline (2024): every checkpoint and review of the year is due.
        var run = await schedule.RunDue(DateTimeOffset.UtcNow);
        var plans = ClusterFixture.Catalog.Plans.Count;
        Assert.Equal(new ScheduleRun(plans, plans, 0, null), run);
        foreach (var plan in ClusterFixture.Catalog.Plans)
        {
            var published = await _cluster.GrainFactory.GetGrain<IReviewsGrain>(plan.Id).GetPublished();
            Assert.True(published.Final, $"{plan.Id}: the year-end input was not published");
            Assert.NotEmpty(published.Weeks);
        }

        var woken = await Activations();
        foreach (var type in new[] { "StreetGrain", "DepartmentGrain", "ProjectGrain", "LeaderGrain", "PlanGrain" })
            Assert.True(woken[type] == 0, $"supervision woke {woken[type]} {type} activations");
        Assert.Equal(plans, woken["SupervisorGrain"]);

        // Nothing keeps a plan's grains active once its work is done.
        var idle = await Poll.Until(Activations, a => a.Values.Sum() == 0, "every plan grain to be collected as idle", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        Assert.All(idle, a => Assert.Equal(0, a.Value));

        // The year is over: a wake finds nothing due and wakes nobody.
        Assert.Equal(new ScheduleRun(0, 0, 0, null), await schedule.RunDue(DateTimeOffset.UtcNow));
        Assert.Equal(0, (await Activations()).Values.Sum());
        Assert.Equal(new ScheduleStatus(plans, null, (await schedule.GetStatus()).LastRun), await schedule.GetStatus());
    }

    [Fact]
    public async Task The_schedule_answers_its_status_while_a_long_run_is_in_progress()
    {
        var schedule = _cluster.GrainFactory.GetGrain<ISupervisionScheduleGrain>(ISupervisionScheduleGrain.Key);
        HoldSupervisors.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var run = schedule.RunDue(DateTimeOffset.UtcNow);
            await Poll.Until(() => Task.FromResult(HoldSupervisors.Held), held => held > 0, "a supervisor to be held in its run");
            // Readiness asks the schedule: it answers though the run has not finished.
            var status = await schedule.GetStatus().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(ClusterFixture.Catalog.Plans.Count, status.Plans);
            Assert.False(run.IsCompleted);
            HoldSupervisors.Gate.SetResult();
            Assert.Equal(0, (await run).Failed);
        }
        finally
        {
            HoldSupervisors.Gate.TrySetResult();
            HoldSupervisors.Gate = null;
        }
    }

    /// <summary>Holds each supervisor's run until the test opens the gate (when one is set).</summary>
    private sealed class HoldSupervisors : IIncomingGrainCallFilter
    {
        public static TaskCompletionSource? Gate;
        public static int Held;

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (Gate is { } gate && context.ImplementationMethod.Name == nameof(ISupervisorGrain.AdvanceTo))
            {
                Interlocked.Increment(ref Held);
                await gate.Task;
            }
            await context.Invoke();
        }
    }

    private static readonly Minsheng.Grains.ReportLog.InMemoryReportLog Log = new();

    private sealed class QuickCollection : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMinshengForTests(Log);
            silo.AddIncomingGrainCallFilter<HoldSupervisors>();
            silo.Configure<GrainCollectionOptions>(o =>
            {
                o.CollectionQuantum = TimeSpan.FromSeconds(1);
                // Long enough that the first supervisors of a year-long catch-up under load are still active when it ends.
                o.CollectionAge = TimeSpan.FromSeconds(10);
            });
        }
    }
}
