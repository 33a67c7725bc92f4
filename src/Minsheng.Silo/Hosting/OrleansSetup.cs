using Minsheng.Grains;

namespace Minsheng.Silo.Hosting;

/// <summary>Configures the co-hosted Orleans silo: clustering, grain storage and reminders for the chosen storage mode.</summary>
public static class OrleansSetup
{
    /// <summary>Adds the silo on the embedded default (in memory, localhost) or on PostgreSQL.</summary>
    public static WebApplicationBuilder AddMinshengOrleans(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MinshengOptions.Section).Get<MinshengOptions>() ?? new MinshengOptions();
        builder.Services.AddOptions<SupervisionOptions>().BindConfiguration(SupervisionOptions.Section);
        builder.Services.AddOptions<AggregateOptions>().BindConfiguration(AggregateOptions.Section);

        builder.Services.AddMinshengSerialization();
        builder.Services.AddHostedService<SupervisionStarter>();
        builder.UseOrleans(silo =>
        {
            // HTTP spans and grain spans join into one trace.
            silo.AddActivityPropagation();
            switch (options.Storage)
            {
                case StorageMode.Memory:
                    silo.UseLocalhostClustering(
                        siloPort: builder.Configuration.GetValue("Minsheng:Cluster:SiloPort", 11111),
                        gatewayPort: builder.Configuration.GetValue("Minsheng:Cluster:GatewayPort", 30000));
                    silo.AddMemoryGrainStorage(StorageNames.Facts);
                    silo.UseInMemoryReminderService();
                    break;
                default:
                    throw new InvalidOperationException($"Storage mode {options.Storage} is not available in this build.");
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
