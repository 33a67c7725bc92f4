using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Minsheng.Grains.Tests;

/// <summary>
/// What every test cluster of this project's grains needs, in one place: memory grain storage and reminders, the seed
/// plans' catalog, a report log, the limits, the system clock and the grains with their default options. Each test adds
/// only what it is about (a call filter, a short collection age, a quicker reconciliation).
/// </summary>
internal static class GrainTestSilo
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Minsheng.Grains.ReportLog.IReportLog, Minsheng.Grains.Events.InMemoryPlanEventJournal> Journals = new();

    public static ISiloBuilder AddMinshengForTests(this ISiloBuilder silo, Minsheng.Grains.ReportLog.IReportLog log)
    {
        // Grain state as the real host stores it (System.Text.Json), not the test host's default serializer.
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.AddMemoryGrainStorage(StorageNames.Facts);
        silo.UseInMemoryReminderService();
        silo.Services.AddSingleton(ClusterFixture.Catalog);
        silo.Services.AddSingleton(log);
        silo.Services.AddSingleton(Minsheng.Domain.Progress.ReportLimits.Default);
        silo.Services.AddSingleton(BusinessClock.FromSystem());
        silo.Services.AddMinshengGrains();
        // One event journal per report log, so the silos of a test cluster that share a log share a journal too, as
        // they would share one database.
        silo.Services.AddSingleton<Minsheng.Grains.Events.IPlanEventJournal>(Journals.GetValue(log, _ => new Minsheng.Grains.Events.InMemoryPlanEventJournal()));
        silo.Services.AddOptions<SupervisionOptions>();
        silo.Services.AddOptions<AggregateOptions>();
        return silo;
    }
}

/// <summary>The test clusters' client: the project's serialization, nothing else.</summary>
internal sealed class GrainTestClient : IClientBuilderConfigurator
{
    public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
        client.Services.AddMinshengSerialization();
}
