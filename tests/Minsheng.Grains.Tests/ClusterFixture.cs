using Microsoft.Extensions.DependencyInjection;
using Minsheng.Domain.Plans;
using Orleans.TestingHost;

namespace Minsheng.Grains.Tests;

/// <summary>
/// A two-silo Orleans test cluster with in-memory storage. The catalog holds gongshu-2024 under several ids, so each
/// test gets a plan of its own and tests cannot see each other's reports.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly string[] PlanIds = ["gongshu-2024", "iso-a", "iso-b", "iso-c", "iso-d"];

    public TestCluster Cluster { get; } = new TestClusterBuilder(initialSilosCount: 2)
        .AddSiloBuilderConfigurator<SiloConfigurator>()
        .AddClientBuilderConfigurator<GrainTestClient>()
        .Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The report log every silo of the cluster appends to.</summary>
    public static Minsheng.Grains.ReportLog.InMemoryReportLog SharedLog { get; } = new();

    public static Plan Seed { get; } = PlanLoader.LoadDirectory(RepoPaths.Seeds).Single(p => p.Id == "gongshu-2024");

    public static PlanCatalog Catalog { get; } = new(PlanIds.Select(id => Seed with { Id = id }));

    public Task InitializeAsync() => Cluster.DeployAsync();

    /// <summary>The settled signal: returns once everything accepted for <paramref name="planId"/> has reached its rollups.</summary>
    public Task Settle(string planId) => Grains.GetGrain<IPlanSettlerGrain>(planId).Settle();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public static readonly Minsheng.Grains.Notifications.InMemoryNotificationStore SharedNotifications = new();

    public static readonly Minsheng.Grains.Reviews.InMemoryReviewStore SharedReviews = new(SharedNotifications);

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            // One log for the process: both silos of the test cluster see the same rows, as they would see one database.
            silo.AddMinshengForTests(SharedLog);
            // One review store for the process too, registered after the grains' default so it wins.
            silo.Services.AddSingleton<Minsheng.Grains.Reviews.IReviewStore>(SharedReviews);
            silo.Services.AddSingleton<Minsheng.Grains.Notifications.INotificationStore>(SharedNotifications);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
