using Microsoft.Extensions.Options;
using Minsheng.Grains;
using Minsheng.Persistence;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Minsheng.Silo.Hosting;

/// <summary>Configures the co-hosted Orleans silo: clustering, grain storage and reminders for the chosen storage mode.</summary>
public static class OrleansSetup
{
    /// <summary>Adds the silo on the embedded default (in memory, localhost) or on PostgreSQL.</summary>
    public static WebApplicationBuilder AddMinshengOrleans(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MinshengOptions, MinshengOptionsRules>(MinshengOptions.Section);
        var options = MinshengOptions.ReadEarly(builder);
        builder.Services.AddValidatedOptions<MinshengClusterOptions, MinshengClusterOptionsRules>(MinshengClusterOptions.Section);
        var cluster = MinshengClusterOptions.ReadEarly(builder);
        builder.Services.AddValidatedOptions<MigrateOptions>(MigrateOptions.Section);
        var migrate = MigrateOptions.ReadEarly(builder);
        builder.Services.AddValidatedOptions<MinshengDashboardOptions>(MinshengDashboardOptions.Section);
        var dashboard = MinshengDashboardOptions.ReadEarly(builder);
        builder.Services.AddValidatedOptions<SupervisionOptions, SupervisionOptionsRules>(SupervisionOptions.Section);
        builder.Services.AddValidatedOptions<AggregateOptions, AggregateOptionsRules>(AggregateOptions.Section);
        // Orleans refuses reminders shorter than its minimum: lower the minimum to the configured period when it is shorter.
        builder.Services.AddOptions<ReminderOptions>().Configure<IOptions<SupervisionOptions>>((reminders, supervision) =>
        {
            if (supervision.Value.ReminderPeriod < reminders.MinimumReminderPeriod) reminders.MinimumReminderPeriod = supervision.Value.ReminderPeriod;
        });

        builder.Services.AddMinshengGrains();
        builder.Services.AddHostedService<SupervisionStarter>();
        builder.UseOrleans(silo =>
        {
            // HTTP spans and grain spans join into one trace.
            silo.AddActivityPropagation();
            // The Orleans dashboard's collectors (served at /dashboard, office role only: see TelemetryEndpoints); its
            // grain-call profiler costs a little on every call, so Minsheng:Dashboard:Enabled=false leaves it out.
            if (dashboard.Enabled) silo.AddDashboard(o => o.HideTrace = true);
            if (!string.IsNullOrWhiteSpace(cluster.SiloName)) silo.Configure<SiloOptions>(o => o.SiloName = cluster.SiloName.Trim());
            switch (options.Storage)
            {
                case StorageMode.Memory:
                    silo.UseLocalhostClustering(siloPort: cluster.SiloPort, gatewayPort: cluster.GatewayPort);
                    // The same serializer as PostgreSQL mode: System.Text.Json, no type names, cheaper than the default.
                    silo.UseMinshengGrainStorageJson();
                    silo.AddMemoryGrainStorage(StorageNames.Facts);
                    silo.UseInMemoryReminderService();
                    break;
                case StorageMode.Postgres:
                    silo.UseMinshengPostgres(new MinshengPostgresOptions
                    {
                        ConnectionString = PostgresConnection.Require(builder.Configuration),
                        StorageNames = { StorageNames.Facts },
                        ApplyMigrationsOnStartup = migrate.OnStart,
                    });
                    silo.Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = cluster.ClusterId;
                        o.ServiceId = cluster.ServiceId;
                    });
                    silo.ConfigureEndpoints(System.Net.IPAddress.Parse(cluster.AdvertisedIp), cluster.SiloPort, cluster.GatewayPort,
                        listenOnAnyHostAddress: cluster.ListenOnAny);
                    // Failover measured here: defaults took 11-13 s to move grains off a killed silo; these about 4 s.
                    silo.Configure<ClusterMembershipOptions>(o =>
                    {
                        o.ProbeTimeout = cluster.ProbeTimeout;
                        o.NumMissedProbesLimit = cluster.NumMissedProbesLimit;
                    });
                    break;
            }
        });

        if (options.Storage == StorageMode.Memory)
            builder.Services.AddHostedService<NonDurableStorageWarning>();
        return builder;
    }

    private sealed class NonDurableStorageWarning(ILogger<NonDurableStorageWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("Storage is in memory (Minsheng:Storage=Memory): reports and schedules will NOT survive a restart. " +
                "Set Minsheng:Storage=Postgres and ConnectionStrings:Minsheng for durable storage.");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
