using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;

namespace Minsheng.Persistence;

/// <summary>How <see cref="MinshengPostgres.UseMinshengPostgres(ISiloBuilder, MinshengPostgresOptions)"/> sets up a silo.</summary>
public sealed class MinshengPostgresOptions
{
    /// <summary>Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Username=postgres;Database=minsheng</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Named grain storage providers registered besides the default one (all on the same table).</summary>
    public IList<string> StorageNames { get; } = new List<string>();

    /// <summary>Apply the embedded schema migrations when the silo starts (first lifecycle stage). Default true.</summary>
    public bool ApplyMigrationsOnStartup { get; set; } = true;

    /// <summary>
    /// <c>ClearStateAsync</c> deletes the row instead of keeping it with no payload and a bumped version. Default false
    /// (versions stay monotonic across clears).
    /// </summary>
    public bool DeleteStateOnClear { get; set; }
}

/// <summary>Orleans on PostgreSQL in one call: ADO.NET clustering, grain storage and reminders on one database.</summary>
public static class MinshengPostgres
{
    /// <summary>The ADO.NET invariant of Npgsql, as Orleans' ADO.NET providers know it.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Clustering, the default grain storage (plus a provider for each of <paramref name="storageNames"/>) and the
    /// reminder service on <paramref name="connectionString"/>, with Orleans' System.Text.Json grain storage
    /// serializer (<see cref="GrainStorageJson"/>) and the schema migrated on startup.
    /// </summary>
    public static ISiloBuilder UseMinshengPostgres(this ISiloBuilder silo, string connectionString, params string[] storageNames)
    {
        var options = new MinshengPostgresOptions { ConnectionString = connectionString };
        foreach (var name in storageNames) options.StorageNames.Add(name);
        return silo.UseMinshengPostgres(options);
    }

    /// <summary>Clustering, grain storage and reminders on PostgreSQL as <paramref name="options"/> say.</summary>
    public static ISiloBuilder UseMinshengPostgres(this ISiloBuilder silo, MinshengPostgresOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        var connectionString = options.ConnectionString;

        if (options.ApplyMigrationsOnStartup)
        {
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
                new SchemaMigrationParticipant(connectionString, sp.GetRequiredService<ILogger<SchemaMigrator>>()));
        }

        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });

        void Storage(AdoNetGrainStorageOptions o)
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
            o.DeleteStateOnClear = options.DeleteStateOnClear;
        }

        // Every provider takes the silo's default serializer: Orleans' System.Text.Json one, in the shape stored so far.
        silo.UseMinshengGrainStorageJson();
        silo.AddAdoNetGrainStorageAsDefault(Storage);
        foreach (var name in options.StorageNames.Distinct(StringComparer.Ordinal))
        {
            if (name == ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME) continue;
            silo.AddAdoNetGrainStorage(name, Storage);
        }

        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }

    /// <summary>
    /// An external Orleans client that finds the gateways in the membership table on <paramref name="connectionString"/>
    /// (the silos' clustering database; the schema must already be migrated).
    /// </summary>
    public static IClientBuilder UseMinshengPostgres(this IClientBuilder client, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return client.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
    }

    /// <summary>Runs the migrator before anything else in the silo touches the database.</summary>
    private sealed class SchemaMigrationParticipant(string connectionString, ILogger<SchemaMigrator> logger)
        : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.First, async ct =>
            {
                var applied = await new SchemaMigrator().MigrateAsync(connectionString, ct);
                if (applied.Count > 0)
                    logger.LogInformation("Applied schema migrations: {Versions}", string.Join(", ", applied));
            });
    }
}
