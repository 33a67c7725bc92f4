using Microsoft.Extensions.DependencyInjection;
using Minsheng.Silo.Live;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Cost follows the work (issue 19): a silo receives a plan's live events only while one of its streams watches the
/// plan, and lets go after the last one closed; a client resuming across what it missed is served by the events grain.
/// </summary>
public sealed class LiveSubscriptionTests
{
    private const string Plan = "gongshu-2024";
    private const string Events = $"/api/v1/plans/{Plan}/events";
    private const string Reports = $"/api/v1/plans/{Plan}/reports";

    [Fact]
    public async Task A_silo_subscribes_to_the_plans_its_streams_watch_and_lets_go_after_the_last_one_closed()
    {
        await using var host = new SiloHost().With("Minsheng:Live:RenewSeconds", "1").With("Minsheng:Live:LingerSeconds", "1");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var street = host.As("street:wulin");
        var viewer = host.As("viewer");
        var subscription = host.Services.GetRequiredService<LiveEventSubscription>();
        var log = host.Services.GetRequiredService<LiveEventHub>().Log(Plan);

        // Nobody watches: a report reaches its rollups, but this silo is subscribed to nothing and receives no event.
        Assert.Equal(201, (await street.PostJson(Reports, new { reportId = "watch-1", taskId = "3.1", unitId = "wulin", completed = 1 })).Status);
        await host.Settle();
        Assert.Empty(subscription.SubscribedPlans);
        Assert.Equal(0, log.Last);

        // A stream subscribes its plan before its first event, and gets what happens next.
        string seen;
        using (var stream = await Open(viewer, null, timeout.Token))
        {
            Assert.Equal("snapshot", (await stream.Next(timeout.Token)).Kind);
            Assert.Equal([Plan], subscription.SubscribedPlans);
            Assert.Equal(201, (await street.PostJson(Reports, new { reportId = "watch-2", taskId = "3.1", unitId = "wulin", completed = 2 })).Status);
            var events = await stream.Until(e => e.Kind == "progress" && e.Data["completed"]!.GetValue<long>() == 2, timeout.Token);
            seen = events[^1].Id!;
        }

        // Closed: the silo lets the plan go after the linger time, and receives nothing more of it.
        while (subscription.SubscribedPlans.Count > 0) await Task.Delay(100, timeout.Token);
        var last = log.Last;
        Assert.Equal(201, (await street.PostJson(Reports, new { reportId = "watch-3", taskId = "3.1", unitId = "wulin", completed = 3 })).Status);
        await host.Settle();
        await Task.Delay(500, timeout.Token);
        Assert.Equal(last, log.Last);

        // Resuming from an id before the silo let go: this silo did not receive what followed, the plan's events grain
        // did, so the client gets exactly what it missed (the report of 3), without a resync.
        using var resumed = await Open(viewer, seen, timeout.Token);
        var missed = await resumed.Until(e => e.Kind == "progress" && e.Data["completed"]!.GetValue<long>() == 3, timeout.Token);
        Assert.DoesNotContain(missed, e => e.Kind is "snapshot" or "resync");
        Assert.Equal([Plan], subscription.SubscribedPlans);
    }

    [Fact]
    public async Task A_watching_silo_gets_what_the_next_activation_of_the_events_grain_publishes_at_once_not_at_its_next_renewal()
    {
        // No renewal falls due during this test: only the ending activation's word can bring the next one's events here.
        await using var host = new SiloHost().With("Minsheng:Live:RenewSeconds", "90");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var street = host.As("street:wulin");
        using var stream = await Open(host.As("viewer"), null, timeout.Token);
        Assert.Equal("snapshot", (await stream.Next(timeout.Token)).Kind);
        Assert.Equal(201, (await street.PostJson(Reports, new { reportId = "moved-1", taskId = "3.1", unitId = "wulin", completed = 1 })).Status);
        await stream.Until(e => IsProgress(e, 1), timeout.Token);

        // The plan's events grain ends, as after a failed store (PostgreSQL restarting) or when its silo leaves, its
        // directory's silo dies or it loses a duplicate race. The next activation starts with no subscriber.
        await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(201, (await street.PostJson(Reports, new { reportId = "moved-2", taskId = "3.1", unitId = "wulin", completed = 2 })).Status);
        using var prompt = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        prompt.CancelAfter(TimeSpan.FromSeconds(10));
        var events = await stream.Until(e => IsProgress(e, 2), prompt.Token);
        Assert.DoesNotContain(events, e => e.Kind is "snapshot" or "resync");
    }

    [Fact]
    public async Task A_stopping_silo_ends_its_streams_so_clients_reconnect_elsewhere_and_shutdown_is_not_held()
    {
        await using var host = new SiloHost();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await Open(host.As("viewer"), null, timeout.Token);
        Assert.Equal("snapshot", (await stream.Next(timeout.Token)).Kind);

        // SIGTERM as the host sees it: ApplicationStopping. The open stream ends at once, well before any timeout.
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication();
        await Assert.ThrowsAsync<EndOfStreamException>(() => stream.Next(timeout.Token));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the stream ended {stopping.Elapsed.TotalSeconds:0.0} s after stopping began");
    }

    private static bool IsProgress(SseEvent e, long completed) =>
        e.Kind == "progress" && e.Data["completed"]!.GetValue<long>() == completed;

    private static Task<SseReader> Open(HttpClient client, string? lastEventId, CancellationToken token) =>
        SseReader.Open(client, Events, lastEventId, token);
}
