using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;

namespace Minsheng.Persistence.Tests;

/// <summary>
/// Orleans' own ADO.NET providers (clustering, grain storage, reminders) against this project's schema on a real
/// PostgreSQL server; every test has a database of its own.
/// </summary>
public sealed class OrleansOnPostgresTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestDatabase _db = null!;
    private readonly string _clusterId = "c-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(_db.ConnectionString);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Grain_state_survives_deactivation_and_a_silo_restart()
    {
        await using (var silo = await TestSilo.StartAsync(_db.ConnectionString, _clusterId))
        {
            var counter = silo.Grains.GetGrain<ICounterGrain>(7);
            Assert.Equal(5, await counter.Add(5));
            Assert.Equal(7, await counter.Add(2));

            await counter.Deactivate();
            Assert.Equal(7, await Poll.Until(counter.Get, _ => true, "the counter to reactivate", Patience));
            Assert.Equal("2", await counter.ETag());
            await silo.StopAsync();
        }

        await using (var silo = await TestSilo.StartAsync(_db.ConnectionString, _clusterId))
        {
            var counter = silo.Grains.GetGrain<ICounterGrain>(7);
            Assert.Equal(7, await counter.Get());
            Assert.Equal(10, await counter.Add(3));
        }

        // One row per (service, state name, key): the primary key holds, the version counts the writes.
        var rows = await _db.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'counter'");
        var version = await _db.ScalarAsync<int>("SELECT Version FROM OrleansStorage WHERE GrainTypeString = 'counter' AND GrainIdN1 = 7");
        var json = Encoding.UTF8.GetString(await _db.ScalarAsync<byte[]>("SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'counter'"));
        Assert.Equal(1, rows);
        Assert.Equal(3, version);
        Assert.Equal("""{"Total":10,"Log":["\u002B5","\u002B2","\u002B3"]}""", json);
    }

    [Fact]
    public async Task A_stale_write_throws_InconsistentStateException()
    {
        await using var silo = await TestSilo.StartAsync(_db.ConnectionString, _clusterId);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

        // Through a grain: someone else writes behind the activation's back; its next write must fail, not overwrite.
        var counter = silo.Grains.GetGrain<ICounterGrain>(42);
        await counter.Add(1);
        var behind = new GrainState<CounterState>();
        await storage.ReadStateAsync("counter", counter.GetGrainId(), behind);
        Assert.Equal("1", behind.ETag);
        behind.State!.Total = 100;
        await storage.WriteStateAsync("counter", counter.GetGrainId(), behind);
        Assert.Equal("2", behind.ETag);

        await Assert.ThrowsAsync<InconsistentStateException>(() => counter.Add(1));
        await counter.Reload();
        Assert.Equal(101, await counter.Add(1));

        // Directly: two first writes of the same state race (no ETag): one inserts, the other conflicts.
        var id = GrainId.Create("probe", "key-with-extension+x");
        var a = new GrainState<CounterState>(new CounterState { Total = 1 });
        var b = new GrainState<CounterState>(new CounterState { Total = 2 });
        await storage.WriteStateAsync("probe", id, a);
        Assert.Equal("1", a.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", id, b));

        // A stale ETag on update and on clear.
        var stale = new GrainState<CounterState>(new CounterState { Total = 3 }) { ETag = "1", RecordExists = true };
        await storage.WriteStateAsync("probe", id, a);
        Assert.Equal("2", a.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", id, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("probe", id, stale));

        // Clear keeps the row with no payload and a new version; a read then sees no record but that version.
        await storage.ClearStateAsync("probe", id, a);
        var afterClear = new GrainState<CounterState>();
        await storage.ReadStateAsync("probe", id, afterClear);
        Assert.False(afterClear.RecordExists);
        Assert.Equal("3", afterClear.ETag);
        Assert.Equal(0, afterClear.State!.Total);
        afterClear.State.Total = 9;
        await storage.WriteStateAsync("probe", id, afterClear);
        Assert.Equal("4", afterClear.ETag);
    }

    [Fact]
    public async Task State_written_under_one_class_name_reads_back_into_a_renamed_class()
    {
        // This silo starts on an empty database: UseMinshengPostgres migrates it before Orleans touches it.
        await _db.DisposeAsync();
        _db = await TestDatabase.CreateAsync();
        await using var silo = await TestSilo.StartAsync(_db.ConnectionString, _clusterId);
        Assert.Equal(new SchemaMigrator().Migrations.Select(m => m.Version),
            await _db.ColumnAsync<string>($"SELECT version FROM {SchemaMigrator.HistoryTable} ORDER BY version"));

        await silo.Grains.GetGrain<IProfileWriterGrain>("citizen-1").Write("王小明", 4, ["volunteer", "elder-care"], ProfileKind.Resident);
        var read = await silo.Grains.GetGrain<IProfileReaderGrain>("citizen-1").Read();

        Assert.True(read.RecordExists);
        Assert.Equal("王小明", read.DisplayName);
        Assert.Equal(4, read.Visits);
        Assert.Equal(["volunteer", "elder-care"], read.Tags);
        Assert.Equal(ProfileKind.Resident, read.Kind);
        var json = Encoding.UTF8.GetString(await _db.ScalarAsync<byte[]>(
            "SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'profile' AND GrainIdExtensionString = 'citizen-1'"));
        Assert.DoesNotContain("$type", json);
        Assert.DoesNotContain(nameof(ProfileStateV1), json);
        // Orleans' own serializer, from the silo's services, writing the row exactly as the serializer before it did.
        Assert.IsType<SystemTextJsonGrainStorageSerializer>(silo.Services.GetRequiredService<IGrainStorageSerializer>());
        Assert.Equal("""{"DisplayName":"\u738B\u5C0F\u660E","Visits":4,"Tags":["volunteer","elder-care"],"Kind":"Resident"}""", json);
    }

    [Fact]
    public async Task A_reminder_registers_fires_is_listed_and_survives_a_silo_restart()
    {
        var grainKey = Guid.NewGuid();
        var tickKey = ReminderProbeGrain.TickKey(grainKey, "tick");
        int Ticks() => ReminderProbeGrain.Ticks.GetValueOrDefault(tickKey);

        await using (var silo = await TestSilo.StartAsync(_db.ConnectionString, _clusterId))
        {
            var probe = silo.Grains.GetGrain<IReminderProbeGrain>(grainKey);
            await probe.Register("tick", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
            await probe.Register("other", TimeSpan.FromHours(1), TimeSpan.FromHours(1));
            await probe.Register("other", TimeSpan.FromHours(2), TimeSpan.FromHours(2)); // upsert: same row, new version

            Assert.Equal(["other", "tick"], await probe.ListReminders());
            await Poll.Until(() => Task.FromResult(Ticks()), n => n >= 2, "two ticks of the reminder", Patience);
            await silo.StopAsync();
        }

        var rows = await _db.ColumnAsync<string>(
            "SELECT ReminderName || ':' || Period || ':' || Version FROM OrleansRemindersTable WHERE ServiceId = @s ORDER BY ReminderName",
            ("s", TestSilo.ServiceId));
        Assert.Equal(["other:7200000:1", "tick:1000:0"], rows);

        // A new silo loads the reminder from the table (range query) and it keeps firing.
        var before = Ticks();
        await using (var silo = await TestSilo.StartAsync(_db.ConnectionString, _clusterId))
        {
            await Poll.Until(() => Task.FromResult(Ticks()), n => n > before, "a tick on the restarted silo", Patience);

            var probe = silo.Grains.GetGrain<IReminderProbeGrain>(grainKey);
            await probe.Unregister("tick");
            Assert.Equal(["other"], await probe.ListReminders());
        }
        Assert.Equal(["other"], await _db.ColumnAsync<string>("SELECT ReminderName FROM OrleansRemindersTable"));
    }

    [Fact]
    public async Task Two_silos_join_one_cluster_and_a_stopped_one_is_cleaned_up()
    {
        await using var first = await TestSilo.StartAsync(_db.ConnectionString, _clusterId);
        await using var second = await TestSilo.StartAsync(_db.ConnectionString, _clusterId);

        const string activeRows = "SELECT Port FROM OrleansMembershipTable WHERE DeploymentId = @c AND Status = 3 ORDER BY Port";
        var active = await Poll.Until(() => _db.ColumnAsync<int>(activeRows, ("c", _clusterId)), p => p.Count == 2,
            "two Active rows in OrleansMembershipTable", Patience);
        Assert.Equal(new[] { first.SiloPort, second.SiloPort }.Order(), active);

        var management = first.Grains.GetGrain<IManagementGrain>(0);
        await Poll.Until(() => management.GetHosts(onlyActive: true), h => h.Count == 2, "two active hosts", Patience);

        // Grains are placed on both silos and answer from either.
        var counters = Enumerable.Range(0, 20).Select(i => first.Grains.GetGrain<ICounterGrain>(1000 + i)).ToList();
        await Task.WhenAll(counters.Select(c => c.Add(1)));
        Assert.All(await Task.WhenAll(Enumerable.Range(0, 20).Select(i => second.Grains.GetGrain<ICounterGrain>(1000 + i).Get())), n => Assert.Equal(1, n));

        // One row by silo address (MembershipReadRowKey).
        var table = first.Services.GetRequiredService<IMembershipTable>();
        var firstAddress = first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var row = await table.ReadRowAsync(firstAddress);
        Assert.Equal(firstAddress, Assert.Single(row.Members).Item1.SiloAddress);

        // An external client finds both gateways in the table (GatewaysQueryKey) and calls a grain.
        var client = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        client.Logging.ClearProviders();
        client.UseOrleansClient(c =>
        {
            c.Configure<ClusterOptions>(o => { o.ClusterId = _clusterId; o.ServiceId = TestSilo.ServiceId; });
            c.UseMinshengPostgres(_db.ConnectionString);
        });
        using (var clientHost = client.Build())
        {
            await clientHost.StartAsync();
            var gateways = await clientHost.Services.GetRequiredService<IGatewayListProvider>().GetGateways();
            Assert.Equal(2, gateways.Count);
            Assert.Equal(1, await clientHost.Services.GetRequiredService<IClusterClient>().GetGrain<ICounterGrain>(1000).Get());
            await clientHost.StopAsync();
        }

        // A graceful stop marks the silo Dead (6) ...
        await second.StopAsync();
        Assert.Equal(6, await _db.ScalarAsync<int>(
            "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = @c AND Port = @p", ("c", _clusterId), ("p", second.SiloPort)));

        // ... and Orleans' defunct-silo cleanup (CleanupDefunctSiloEntryKey) removes exactly that row.
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal([first.SiloPort], await _db.ColumnAsync<int>("SELECT Port FROM OrleansMembershipTable WHERE DeploymentId = @c", ("c", _clusterId)));
        var remaining = await table.ReadAllAsync();
        Assert.Single(remaining.Members);
        Assert.Equal(SiloStatus.Active, remaining.Members[0].Item1.Status);

        // Deleting a cluster's entries (DeleteMembershipTableEntriesKey) takes the version row and the members.
        await first.StopAsync();
        await table.DeleteMembershipTableEntriesAsync(_clusterId);
        Assert.Equal(0L, await _db.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @c) + (SELECT count(*) FROM OrleansMembershipVersionTable WHERE DeploymentId = @c)",
            ("c", _clusterId)));
    }

    /// <summary>
    /// The reminder table's range reads against the ring semantics Orleans expects: a range (begin, end] of uint grain
    /// hashes, wrapping past uint.MaxValue when begin >= end (begin == end is the whole ring). Orleans stores and binds
    /// the hashes cast to int, so ranges crossing int.MaxValue or 0 are the interesting ones.
    /// </summary>
    [Fact]
    public async Task Reminder_table_rows_and_ring_ranges_match_Orleans_semantics()
    {
        await using var silo = await TestSilo.StartAsync(_db.ConnectionString, _clusterId);
        var table = silo.Services.GetRequiredService<IReminderTable>();

        var entries = Enumerable.Range(0, 60).Select(i => new ReminderEntry
        {
            GrainId = GrainId.Create("ring", $"g{i}"),
            ReminderName = $"r{i % 3}",
            StartAt = DateTime.UtcNow,
            Period = TimeSpan.FromMinutes(1 + i),
        }).ToList();
        foreach (var entry in entries) entry.ETag = await table.UpsertRow(entry);
        Assert.All(entries, e => Assert.Equal("0", e.ETag));

        uint[] points = [0, 1, 0x3FFFFFFF, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xC0000000, 0xFFFFFFFF];
        foreach (var begin in points.Concat(entries.Take(5).Select(e => e.GrainId.GetUniformHashCode())))
        foreach (var end in points.Concat(entries.Skip(5).Take(5).Select(e => e.GrainId.GetUniformHashCode())))
        {
            var expected = entries.Where(e => InRange(e.GrainId.GetUniformHashCode(), begin, end)).Select(Key).Order().ToList();
            var actual = (await table.ReadRows(begin, end)).Reminders.Select(Key).Order().ToList();
            Assert.True(expected.SequenceEqual(actual), $"range ({begin:X8}, {end:X8}]: expected {expected.Count} rows, got {actual.Count}");
        }

        var one = entries[7];
        var read = await table.ReadRow(one.GrainId, one.ReminderName);
        Assert.NotNull(read);
        Assert.Equal(one.Period, read.Period);
        Assert.Equal(one.StartAt, read.StartAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Single((await table.ReadRows(one.GrainId)).Reminders);
        Assert.Null(await table.ReadRow(one.GrainId, "no-such-reminder"));

        // A period beyond int.MaxValue milliseconds is bound as bigint.
        one.Period = TimeSpan.FromDays(40);
        Assert.Equal("1", await table.UpsertRow(one));
        Assert.Equal(TimeSpan.FromDays(40), (await table.ReadRow(one.GrainId, one.ReminderName))!.Period);

        // Removal needs the current ETag.
        Assert.False(await table.RemoveRow(one.GrainId, one.ReminderName, "0"));
        Assert.True(await table.RemoveRow(one.GrainId, one.ReminderName, "1"));
        Assert.Null(await table.ReadRow(one.GrainId, one.ReminderName));

        static bool InRange(uint hash, uint begin, uint end) =>
            begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

        static string Key(ReminderEntry e) => $"{e.GrainId}/{e.ReminderName}";
    }
}
