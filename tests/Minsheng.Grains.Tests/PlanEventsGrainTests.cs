using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
using Orleans.TestingHost;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The plan's fan-out grain keeps an observer only while its silo subscribes again within the lifetime. The silo's
/// grains run on a fake clock (Orleans' own background loops stay on real time), so expiry is a step of the clock,
/// not a wait; receipt is awaited on the observers' own signals.
/// </summary>
public sealed class PlanEventsGrainTests : IAsyncLifetime
{
    /// <summary>Bounds a wait for a signal that must come; only reached when the code under test is broken.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8)));

    private readonly TestCluster _cluster = new TestClusterBuilder(initialSilosCount: 1)
        .AddSiloBuilderConfigurator<FakeClockSilo>()
        .AddClientBuilderConfigurator<Client>()
        .Build();

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_observer_that_stops_subscribing_is_dropped_after_the_lifetime_and_one_that_renews_is_kept()
    {
        var plan = "expiry-" + Guid.NewGuid().ToString("N");
        var grain = _cluster.GrainFactory.GetGrain<IPlanEventsGrain>(plan);
        var stale = new Recorder();
        var renewing = new Recorder();
        var staleRef = _cluster.Client.CreateObjectReference<IPlanEventObserver>(stale);
        var renewingRef = _cluster.Client.CreateObjectReference<IPlanEventObserver>(renewing);
        await grain.Subscribe(staleRef);
        await grain.Subscribe(renewingRef);

        await grain.Publish([Event(plan, 1)]);
        Assert.Equal(new[] { 1 }, await stale.Next());
        Assert.Equal(new[] { 1 }, await renewing.Next());

        // Within the lifetime both are kept; one renews, as a silo's subscription loop does, the other is silent.
        Clock.Advance(PlanEventsGrain.ObserverLifetime / 2);
        await grain.Subscribe(renewingRef);
        await grain.Publish([Event(plan, 2)]);
        Assert.Equal(new[] { 2 }, await stale.Next());
        Assert.Equal(new[] { 2 }, await renewing.Next());

        // Past the lifetime of the silent one's last subscription, inside that of the renewed one.
        Clock.Advance(PlanEventsGrain.ObserverLifetime / 2 + TimeSpan.FromSeconds(1));
        await grain.Publish([Event(plan, 3)]);
        await grain.Publish([Event(plan, 4)]);
        Assert.Equal(new[] { 3 }, await renewing.Next());
        Assert.Equal(new[] { 4 }, await renewing.Next());
        // Both observers live in this client and the grain sends to them in one loop, over one connection: had 3 or 4
        // gone to the dropped one, they would be there by now.
        Assert.Equal(0, stale.Pending);

        // Dropped, not broken: subscribing again brings it back.
        await grain.Subscribe(staleRef);
        await grain.Publish([Event(plan, 5)]);
        Assert.Equal(new[] { 5 }, await stale.Next());
        Assert.Equal(new[] { 5 }, await renewing.Next());
    }

    [Fact]
    public async Task Events_are_numbered_in_one_order_that_survives_the_grain_and_the_latest_are_kept_for_resuming()
    {
        var plan = "order-" + Guid.NewGuid().ToString("N");
        var grain = _cluster.GrainFactory.GetGrain<IPlanEventsGrain>(plan);
        var recorder = new Recorder();
        var position = await grain.Subscribe(_cluster.Client.CreateObjectReference<IPlanEventObserver>(recorder));
        await grain.Publish([Event(plan, 1), Event(plan, 2)]);
        await grain.Publish([Event(plan, 3)]);

        // The numbers follow the position the subscription answered; the grain gives back what follows a number.
        var after = await grain.ReadAfter(position.Epoch, position.Last + 1);
        Assert.NotNull(after);
        Assert.Equal(position.Last + 2, after.First);
        Assert.Equal(["2", "3"], after.Events.Select(e => e.Data));
        Assert.Empty((await grain.ReadAfter(position.Epoch, position.Last + 3))!.Events);
        Assert.Null(await grain.ReadAfter(position.Epoch, position.Last + 4));   // ahead of the stream
        Assert.Null(await grain.ReadAfter("other", position.Last + 1));          // another epoch

        // Deactivated (a silo shutting down, or the grain collected): the next activation reads the journal, so the same
        // read answers the same events, and numbering goes on after them.
        await _cluster.GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var again = await grain.Subscribe(_cluster.Client.CreateObjectReference<IPlanEventObserver>(recorder));
        Assert.Equal(position.Epoch, again.Epoch);
        Assert.Equal(position.Last + 3, again.Last);
        Assert.Equal(["2", "3"], (await grain.ReadAfter(position.Epoch, position.Last + 1))!.Events.Select(e => e.Data));
        await grain.Publish([Event(plan, 4)]);
        Assert.Equal(["4"], (await grain.ReadAfter(position.Epoch, position.Last + 3))!.Events.Select(e => e.Data));
    }

    [Fact]
    public async Task An_activation_that_is_gone_leaves_its_events_in_the_journal_and_the_next_numbers_on_after_them()
    {
        var plan = "unwatched-" + Guid.NewGuid().ToString("N");
        var grain = _cluster.GrainFactory.GetGrain<IPlanEventsGrain>(plan);
        var observer = _cluster.Client.CreateObjectReference<IPlanEventObserver>(new Recorder());
        var position = await grain.Subscribe(observer);
        await grain.Publish([Event(plan, 1), Event(plan, 2)]);
        await grain.Unsubscribe(observer);

        // Nothing was handed over (as after a crash): the journal holds the events, so a reader resumes exactly and
        // numbers go on after the last stored one.
        await _cluster.GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var again = await grain.Subscribe(observer);
        Assert.Equal(position.Epoch, again.Epoch);
        Assert.Equal(position.Last + 2, again.Last);
        Assert.Equal(["1", "2"], (await grain.ReadAfter(position.Epoch, position.Last))!.Events.Select(e => e.Data));
        await grain.Publish([Event(plan, 3)]);
        var read = (await grain.ReadAfter(position.Epoch, position.Last + 1))!;
        Assert.Equal(position.Last + 2, read.First);
        Assert.Equal(["2", "3"], read.Events.Select(e => e.Data));
    }

    [Fact]
    public async Task An_activation_that_ends_tells_its_subscribers_to_subscribe_again_so_the_next_one_has_them()
    {
        var plan = "moving-" + Guid.NewGuid().ToString("N");
        var grain = _cluster.GrainFactory.GetGrain<IPlanEventsGrain>(plan);
        var recorder = new Recorder();
        var observer = _cluster.Client.CreateObjectReference<IPlanEventObserver>(recorder);
        await grain.Subscribe(observer);
        await grain.Publish([Event(plan, 1)]);
        Assert.Equal(new[] { 1 }, await recorder.Next());

        // The activation ends (as after a failed store, or when its silo leaves or its directory's silo dies). Its
        // subscribers are known to it alone, and the next activation starts with none: it says so as it goes.
        await _cluster.GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(plan, await recorder.NextSubscribeAgain());

        // Subscribed again, the observer is one of the next activation's, and its subscription answers where the
        // stream stands: what was published before it (2) is fetched from there, what follows (3) is sent to it.
        await grain.Publish([Event(plan, 2)]);
        var position = await grain.Subscribe(observer);
        await grain.Publish([Event(plan, 3)]);
        Assert.Equal(new[] { 3 }, await recorder.Next());
        Assert.Equal(["2", "3"], (await grain.ReadAfter(position.Epoch, position.Last - 1))!.Events.Select(e => e.Data));
    }

    [Fact]
    public async Task A_progress_event_sent_again_is_published_once_even_by_the_next_activation()
    {
        const string plan = "iso-b";
        var key = Key(plan);
        var grain = _cluster.GrainFactory.GetGrain<IPlanEventsGrain>(plan);
        var position = await grain.Subscribe(_cluster.Client.CreateObjectReference<IPlanEventObserver>(new Recorder()));
        var rows = await LogReports(plan, key, 3, 7);
        await grain.Publish([Progress(rows[0]), Progress(rows[1])]);
        await grain.Publish([Progress(rows[1])]); // a retry of a call that was delivered
        await _cluster.GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await grain.Publish([Progress(rows[0]), Progress(rows[1])]); // and again, to the next activation

        var read = (await grain.ReadAfter(position.Epoch, position.Last))!;
        Assert.Equal([1L, 2L], read.Events.Select(e => e.PayloadAs<ProgressEventData>()!.Version));
    }

    [Fact]
    public async Task Versions_whose_owner_died_before_publishing_are_recovered_from_the_report_log_in_order()
    {
        const string plan = "iso-c";
        var key = Key(plan);
        var grain = _cluster.GrainFactory.GetGrain<IPlanEventsGrain>(plan);
        var recorder = new Recorder();
        var observer = _cluster.Client.CreateObjectReference<IPlanEventObserver>(recorder);
        var position = await grain.Subscribe(observer);
        var rows = await LogReports(plan, key, 2, 4, 9, 12);

        // Version 1 is published; 2 and 3 are logged but their events were lost with their owner; 4 arrives: the two
        // missing versions are read from the log and published before it, in version order.
        await grain.Publish([Progress(rows[0])]);
        await grain.Publish([Progress(rows[3])]);
        var read = (await grain.ReadAfter(position.Epoch, position.Last))!;
        Assert.Equal([1L, 2L, 3L, 4L], read.Events.Select(e => e.PayloadAs<ProgressEventData>()!.Version));
        Assert.Equal([2L, 4L, 9L, 12L], read.Events.Select(e => e.PayloadAs<ProgressEventData>()!.Completed));
        Assert.Equal(rows.Select(r => r.ReportId!), read.Events.Select(e => e.PayloadAs<ProgressEventData>()!.ReportId));

        // The last report of an assignment whose event was lost, with no report after it: a silo's renewal of its
        // subscription (after the sweep interval) finds it in the log and publishes it, once.
        var more = await LogReports(plan, key, 15);
        Clock.Advance(PlanEventsGrain.SweepEvery);
        await grain.Subscribe(observer);
        await grain.Subscribe(observer);
        Clock.Advance(PlanEventsGrain.SweepEvery);
        await grain.Subscribe(observer);
        read = (await grain.ReadAfter(position.Epoch, position.Last + 4))!;
        Assert.Equal([5L], read.Events.Select(e => e.PayloadAs<ProgressEventData>()!.Version));
        Assert.Equal(more[0].ReportId, read.Events.Single().PayloadAs<ProgressEventData>()!.ReportId);
    }

    [Fact]
    public async Task Reports_logged_before_the_journal_began_are_not_published_again()
    {
        const string plan = "iso-d";
        var key = Key(plan);
        await LogReports(plan, key, 1, 2);
        var grain = _cluster.GrainFactory.GetGrain<IPlanEventsGrain>(plan);
        var position = await grain.Subscribe(_cluster.Client.CreateObjectReference<IPlanEventObserver>(new Recorder()));
        Clock.Advance(PlanEventsGrain.SweepEvery);
        await grain.Subscribe(_cluster.Client.CreateObjectReference<IPlanEventObserver>(new Recorder()));
        Assert.Empty((await grain.ReadAfter(position.Epoch, position.Last))!.Events);
        var rows = await LogReports(plan, key, 3);
        await grain.Publish([Progress(rows[0])]);
        Assert.Equal([3L], (await grain.ReadAfter(position.Epoch, position.Last))!.Events.Select(e => e.PayloadAs<ProgressEventData>()!.Version));
    }

    [Fact]
    public async Task The_journal_keeps_the_latest_events_and_a_reader_further_behind_resyncs()
    {
        var plan = "pruned-" + Guid.NewGuid().ToString("N");
        var grain = _cluster.GrainFactory.GetGrain<IPlanEventsGrain>(plan);
        var position = await grain.Subscribe(_cluster.Client.CreateObjectReference<IPlanEventObserver>(new Recorder()));
        const int Batch = 4096;
        var total = PlanEventsGrain.JournalKept + PlanEventsGrain.PruneStep;
        for (var n = 0; n < total; n += Batch)
            await grain.Publish(Enumerable.Range(n + 1, Batch).Select(i => Event(plan, i)).ToList());

        // Pruned in one step of PruneStep: the first PruneStep events are gone, the rest read back from the journal.
        Assert.Null(await grain.ReadAfter(position.Epoch, position.Last));
        Assert.Null(await grain.ReadAfter(position.Epoch, position.Last + PlanEventsGrain.PruneStep - 1));
        var kept = (await grain.ReadAfter(position.Epoch, position.Last + PlanEventsGrain.PruneStep))!;
        Assert.Equal(position.Last + PlanEventsGrain.PruneStep + 1, kept.First);
        Assert.Equal((PlanEventsGrain.PruneStep + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), kept.Events[0].Data);
        Assert.Equal(PlanEventsGrain.ReadLimit, kept.Events.Count);
    }

    private static readonly Minsheng.Grains.ReportLog.InMemoryReportLog Log = new();

    private static Minsheng.Domain.Plans.AssignmentKey Key(string plan) =>
        ClusterFixture.Catalog.Find(plan)!.AllAssignments.First(a => a.Key.TaskId == "3.1").Key;

    /// <summary>Appends reports of one assignment to the log as its owner does (the next versions, each with its answer).</summary>
    private static async Task<List<Minsheng.Grains.ReportLog.ReportLogEntry>> LogReports(string plan, Minsheng.Domain.Plans.AssignmentKey key, params long[] counts)
    {
        var latest = (await Log.ReadLatest(plan, [key])).SingleOrDefault();
        var (version, previous) = (latest?.Version ?? 0, latest?.Completed ?? 0);
        var rows = new List<Minsheng.Grains.ReportLog.ReportLogEntry>();
        foreach (var completed in counts)
        {
            version++;
            var id = $"r-{version}";
            var at = Clock.GetUtcNow();
            var answer = new ReportAnswer(id, key.TaskId, key.UnitId, key.MetricId, completed, 20, Minsheng.Domain.Progress.AssignmentStatus.OnTrack, version, at);
            var row = new Minsheng.Grains.ReportLog.ReportLogEntry(plan, "street:" + key.UnitId, Minsheng.Grains.ReportLog.LogKind.Report, id,
                key.TaskId, key.UnitId, key.MetricId, version, completed, previous, at, "street", "clerk", "fp-" + id, null, [], false, null,
                null, at, null, answer);
            var result = await Log.Append(row);
            Assert.Equal(Minsheng.Grains.ReportLog.AppendStatus.Appended, result.Status);
            rows.Add(row with { Seq = result.Seq });
            previous = completed;
        }
        return rows;
    }

    private static PlanEvent Progress(Minsheng.Grains.ReportLog.ReportLogEntry row) => PlanEvents.ProgressOf(row)!;

    private static PlanEvent Event(string plan, int n) => new(plan, PlanEventKind.Progress, n.ToString(System.Globalization.CultureInfo.InvariantCulture), Clock.GetUtcNow());

    private sealed class Recorder : IPlanEventObserver
    {
        private readonly System.Threading.Channels.Channel<IReadOnlyList<PlanEvent>> _batches =
            System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyList<PlanEvent>>();

        public int Pending => _batches.Reader.Count;

        private readonly System.Threading.Channels.Channel<string> _subscribeAgain = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public Task OnEvents(SequencedEvents events)
        {
            _batches.Writer.TryWrite(events.Events);
            return Task.CompletedTask;
        }

        public Task SubscribeAgain(string planId)
        {
            _subscribeAgain.Writer.TryWrite(planId);
            return Task.CompletedTask;
        }

        public async Task<string> NextSubscribeAgain() => await _subscribeAgain.Reader.ReadAsync().AsTask().WaitAsync(Bound);

        public async Task<int[]> Next()
        {
            var batch = await _batches.Reader.ReadAsync().AsTask().WaitAsync(Bound);
            return batch.Select(e => int.Parse(e.Data, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
    }

    private sealed class FakeClockSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.UseSystemTextJsonGrainStorageSerializer();
            silo.AddMemoryGrainStorage(StorageNames.Facts);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton(ClusterFixture.Catalog);
            silo.Services.AddSingleton<Minsheng.Grains.ReportLog.IReportLog>(Log);
            silo.Services.AddSingleton(Minsheng.Domain.Progress.ReportLimits.Default);
            silo.Services.AddSingleton(BusinessClock.FromSystem());
            silo.Services.AddMinshengGrains();
            // A journal that keeps more than the grain's pruning does, so a test sees the grain's pruning, not the journal's own bound.
            silo.Services.AddSingleton<IPlanEventJournal>(new InMemoryPlanEventJournal(kept: 1 << 20));
            silo.Services.AddOptions<SupervisionOptions>();
            silo.Services.AddOptions<AggregateOptions>();
            // Grains see the fake clock; membership, messaging and the other background areas keep real time.
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        }
    }

    private sealed class Client : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
            client.Services.AddMinshengSerialization();
    }
}
