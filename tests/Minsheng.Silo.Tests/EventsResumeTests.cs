using Microsoft.Extensions.DependencyInjection;
using Minsheng.Silo.Live;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>Event ids and resuming: Last-Event-ID replays what a client missed, or says it cannot and sends a snapshot.</summary>
public sealed class EventsResumeTests(EventsResumeTests.Host host) : IClassFixture<EventsResumeTests.Host>
{
    public sealed class Host : SiloHost;

    private const string Events = "/api/v1/plans/gongshu-2024/events";
    private const string Reports = "/api/v1/plans/gongshu-2024/reports";

    [Fact]
    public async Task Every_event_has_an_increasing_id_and_a_reconnect_gets_exactly_what_it_missed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var viewer = host.As("viewer");
        var street = host.As("street:shangtang");
        using var first = await Open(viewer, null, timeout.Token);
        var snapshot = await first.Next(timeout.Token);
        Assert.Equal("snapshot", snapshot.Kind);
        Assert.NotNull(snapshot.Id);

        Assert.Equal(201, (await street.PostJson(Reports, new { reportId = "resume-1", taskId = "3.1", unitId = "shangtang", completed = 1 })).Status);
        var upToFirst = await first.Until(e => IsProgress(e, 1), timeout.Token);
        var resumeFrom = upToFirst[^1].Id!;

        Assert.Equal(201, (await street.PostJson(Reports, new { reportId = "resume-2", taskId = "3.1", unitId = "shangtang", completed = 2 })).Status);
        Assert.Equal(201, (await street.PostJson(Reports, new { reportId = "resume-3", taskId = "3.1", unitId = "shangtang", completed = 3 })).Status);
        var live = await first.Until(e => IsProgress(e, 3), timeout.Token);

        var all = new[] { snapshot }.Concat(upToFirst).Concat(live).ToList();
        Assert.All(all, e => Assert.NotNull(e.Id));
        var sequences = all.Select(e => Sequence(e.Id!)).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count - 1, sequences.Skip(1).Distinct().Count());

        // A second connection that "dropped" after the first progress event resumes: no snapshot, the same events, same ids.
        using var resumed = await Open(viewer, resumeFrom, timeout.Token);
        var replayed = await resumed.Until(e => IsProgress(e, 3), timeout.Token);
        Assert.DoesNotContain(replayed, e => e.Kind is "snapshot" or "resync");
        Assert.Equal(live.Select(e => (e.Id, e.Kind)), replayed.Select(e => (e.Id, e.Kind)));
        Assert.Equal([2L, 3L], replayed.Where(e => e.Kind == "progress").Select(e => e.Data["completed"]!.GetValue<long>()));
    }

    [Fact]
    public async Task An_id_this_silo_never_gave_gets_a_resync_and_a_fresh_snapshot()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await Open(host.As("viewer"), "0badf00d-7", timeout.Token);
        var resync = await stream.Next(timeout.Token);
        Assert.Equal("resync", resync.Kind);
        Assert.Equal("unknownId", resync.Data["reason"].Str());
        Assert.Contains("快照", resync.Data["message"].Str());
        var snapshot = await stream.Next(timeout.Token);
        Assert.Equal("snapshot", snapshot.Kind);
        Assert.Equal("gongshu-2024", snapshot.Data["planId"].Str());
    }

    [Fact]
    public async Task An_id_older_than_this_silos_buffer_is_served_by_the_events_grain_even_after_it_was_deactivated()
    {
        await using var small = new SiloHost().With("Minsheng:Live:ReplayBuffer", "4");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var street = small.As("street:wulin");
        var hub = small.Services.GetRequiredService<LiveEventHub>();
        var log = hub.Log("gongshu-2024");
        // This silo receives the plan's events only while something here watches it (as an open stream does).
        using var watching = await small.Services.GetRequiredService<LiveEventSubscription>().Watch(["gongshu-2024"], timeout.Token);
        var from = log.Last;
        for (var n = 1; n <= 8; n++)
            Assert.Equal(201, (await street.PostJson(Reports, new { reportId = $"old-{n}", taskId = "3.1", unitId = "wulin", completed = n })).Status);
        // Barrier: the eight progress events (at least) have reached this silo's log, so event 1 left the ring of four.
        while (log.Last < from + 8) await log.WaitAfter(log.Last).WaitAsync(timeout.Token);
        var id = PlanEventLog.IdOf(log.Epoch, from + 1);

        // Gone from this silo's ring, still kept by the plan's events grain (the cluster's one order): resumed exactly.
        using (var resumed = await Open(small.As("viewer"), id, timeout.Token))
        {
            var replayed = await resumed.Until(e => IsProgress(e, 8), timeout.Token);
            Assert.DoesNotContain(replayed, e => e.Kind is "snapshot" or "resync");
            Assert.Equal([2L, 3L, 4L, 5L, 6L, 7L, 8L], replayed.Where(e => e.Kind == "progress").Select(e => e.Data["completed"]!.GetValue<long>()));
            var sequences = replayed.Select(e => Sequence(e.Id!)).ToList();
            Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => from + 2 + i), sequences);
        }

        // The events grain is deactivated while this silo watches the plan (as when its silo shuts down or dies): the
        // next activation reads the plan's event journal, so the same id still resumes exactly, under the same numbers.
        await small.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        using var reactivated = await Open(small.As("viewer"), id, timeout.Token);
        var again = await reactivated.Until(e => IsProgress(e, 8), timeout.Token);
        Assert.DoesNotContain(again, e => e.Kind is "snapshot" or "resync");
        Assert.Equal([2L, 3L, 4L, 5L, 6L, 7L, 8L], again.Where(e => e.Kind == "progress").Select(e => e.Data["completed"]!.GetValue<long>()));
    }

    private static bool IsProgress(SseEvent e, long completed) =>
        e.Kind == "progress" && e.Data["completed"]!.GetValue<long>() == completed;

    private static long Sequence(string id) => long.Parse(id.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static Task<SseReader> Open(HttpClient client, string? lastEventId, CancellationToken token) =>
        SseReader.Open(client, Events, lastEventId, token);
}
