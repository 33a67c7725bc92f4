using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace Minsheng.Persistence.Tests;

public sealed class SchemaMigratorTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>The Orleans schema comes first; project tables follow as 0004_... and later.</summary>
    private static readonly string[] OrleansVersions = ["0001_orleans_clustering", "0002_orleans_persistence", "0003_orleans_reminders"];

    private static readonly List<string> AllVersions = new SchemaMigrator().Migrations.Select(m => m.Version).ToList();

    [Fact]
    public void Embedded_migrations_are_found_in_order()
    {
        Assert.Equal(OrleansVersions, AllVersions.Take(OrleansVersions.Length));
        Assert.Equal(AllVersions.Order(StringComparer.Ordinal), AllVersions);
        Assert.All(AllVersions, v => Assert.Matches(@"^\d{4}_[a-z0-9_]+$", v));
        Assert.Equal(AllVersions.Count, AllVersions.Select(v => v[..4]).Distinct().Count());
    }

    [Fact]
    public async Task Applies_every_migration_once_then_nothing()
    {
        var migrator = new SchemaMigrator();

        var first = await migrator.MigrateAsync(_db.ConnectionString);
        var second = await migrator.MigrateAsync(_db.ConnectionString);

        Assert.Equal(AllVersions, first);
        Assert.Empty(second);
        var recorded = await _db.ColumnAsync<string>($"SELECT version FROM {SchemaMigrator.HistoryTable} ORDER BY version");
        Assert.Equal(AllVersions, recorded);
        var tables = await _db.ColumnAsync<string>(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
        Assert.Superset(
            new HashSet<string> { "orleansquery", "orleansmembershipversiontable", "orleansmembershiptable", "orleansstorage", "orleansreminderstable" },
            tables.ToHashSet());
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_exactly_once()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new SchemaMigrator().MigrateAsync(_db.ConnectionString))));

        Assert.Equal(AllVersions, runs.SelectMany(r => r).Order(StringComparer.Ordinal));
        Assert.Single(runs, r => r.Count > 0);
    }

    [Fact]
    public async Task Every_script_can_be_applied_again_without_harm()
    {
        await new SchemaMigrator().MigrateAsync(_db.ConnectionString);
        var before = await _db.ScalarAsync<long>("SELECT count(*) FROM OrleansQuery");

        await using (var connection = await _db.OpenAsync())
        {
            foreach (var migration in new SchemaMigrator().Migrations)
            {
                await using var command = new NpgsqlCommand(migration.Sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        Assert.Equal(before, await _db.ScalarAsync<long>("SELECT count(*) FROM OrleansQuery"));
    }

    /// <summary>
    /// The keys are read from the Orleans 10.4.2 assemblies themselves (the properties their DbStoredQueries demands,
    /// and the storage provider's initialization query), so an Orleans upgrade that adds a key fails here.
    /// </summary>
    [Fact]
    public async Task Query_table_holds_every_key_the_Orleans_providers_require()
    {
        await new SchemaMigrator().MigrateAsync(_db.ConnectionString);
        var keys = (await _db.ColumnAsync<string>("SELECT QueryKey FROM OrleansQuery")).ToHashSet(StringComparer.Ordinal);

        var clustering = RequiredKeys(typeof(AdoNetClusteringSiloOptions).Assembly, "Orleans.Clustering.AdoNet.Storage.DbStoredQueries");
        var reminders = RequiredKeys(typeof(AdoNetReminderTableOptions).Assembly, "Orleans.Reminders.AdoNet.Storage.DbStoredQueries");
        var storage = Regex.Matches(AdoNetGrainStorage.DefaultInitializationQuery, "QueryKey = '([A-Za-z]+)'").Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("CleanupDefunctSiloEntriesKey", clustering);
        Assert.Equal(9, clustering.Count);
        Assert.Equal(7, reminders.Count);
        Assert.Equal(["WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey"], storage);
        var missing = clustering.Concat(reminders).Concat(storage).Except(keys).ToList();
        Assert.True(missing.Count == 0, "Missing query keys: " + string.Join(", ", missing));
        // Optional in 10.4.2, preferred when present: per-row defunct silo cleanup.
        Assert.Contains("CleanupDefunctSiloEntryKey", keys);
    }

    private static List<string> RequiredKeys(Assembly assembly, string typeName)
    {
        var type = assembly.GetType(typeName, throwOnError: true)!;
        return type.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic).Select(p => p.Name).ToList();
    }
}
