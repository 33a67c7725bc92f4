using Microsoft.Extensions.Options;
using Minsheng.Domain;
using Minsheng.Domain.Notifications;
using Minsheng.Grains.Notifications;

namespace Minsheng.Silo.Notifications;

/// <summary>
/// Delivers notices, on every silo: leases the subscriptions that have a notice waiting and are due (PostgreSQL hands
/// each to one silo), sends each one's next notice, and records the outcome, which moves the subscription on or sets
/// its next try (backing off from <see cref="NotificationOptions.FirstRetryDelay"/> to
/// <see cref="NotificationOptions.MaxRetryDelay"/>; given up as failed after <see cref="NotificationOptions.GiveUpAfter"/>).
/// Subscriptions are delivered side by side (at most <see cref="NotificationOptions.Concurrency"/> at once), each in
/// order, so a slow or failing endpoint holds up only itself, and nothing here is on the path of a report.
/// </summary>
public sealed class NotificationDispatcher(INotificationStore store, INotificationSender sender, IOptions<NotificationOptions> options,
    IHostApplicationLifetime lifetime, Hosting.MinshengMetrics metrics, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _wake = new(0);
    private int _inFlight;


    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        try { await lifetime.WaitAsync(stopping); }
        catch (OperationCanceledException) { return; }
        var o = options.Value;
        while (!stopping.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                var free = o.Concurrency - Volatile.Read(ref _inFlight);
                if (free > 0)
                {
                    var work = await store.Claim(_worker, DateTimeOffset.UtcNow, Lease(o), free);
                    claimed = work.Count;
                    foreach (var w in work)
                    {
                        Interlocked.Increment(ref _inFlight);
                        _ = Task.Run(() => Deliver(w, o, stopping), CancellationToken.None);
                    }
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Claiming notifications to deliver failed; trying again shortly");
            }
            if (claimed > 0) continue;
            try { await _wake.WaitAsync(o.PollInterval, stopping); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>How long a claim holds a subscription: longer than an attempt with its quick retries can take.</summary>
    private static TimeSpan Lease(NotificationOptions o) => NotificationSetup.TotalTimeout(o) + TimeSpan.FromSeconds(10);

    private async Task Deliver(DeliveryWork work, NotificationOptions o, CancellationToken stopping)
    {
        try
        {
            var attempt = await sender.Send(work, stopping);
            var at = DateTimeOffset.UtcNow;
            DateTimeOffset? retryAt = null;
            if (!attempt.Delivered && !RetrySchedule.GivesUp(work.FirstAttemptAt ?? at, at, o.GiveUpAfter))
                retryAt = at + o.ToRetrySchedule().Delay(work.Attempts + 1);
            if (!await store.Record(_worker, work, attempt, at, retryAt))
            {
                logger.LogWarning("Delivery {Delivery} ({Notice}) was recorded by another silo meanwhile; this outcome is dropped", work.DeliveryId, work.Notice.Id);
                return;
            }
            metrics.NotificationAttempts.Add(1, new KeyValuePair<string, object?>("format", work.Subscription.Format.WireName()),
                new KeyValuePair<string, object?>("outcome", attempt.Delivered ? "delivered" : retryAt is null ? "failed" : "retry"));
            if (attempt.Delivered)
                logger.LogInformation("Delivered {Notice} to subscription {Subscription} ({Format}) after {Attempts} attempts",
                    work.Notice.Id, work.Subscription.Id, work.Subscription.Format, work.Attempts + 1);
            else if (retryAt is null)
                logger.LogWarning("Gave up delivering {Notice} to subscription {Subscription} after {Attempts} attempts: {Error}",
                    work.Notice.Id, work.Subscription.Id, work.Attempts + 1, attempt.Error);
            else
                logger.LogInformation("Delivering {Notice} to subscription {Subscription} failed (attempt {Attempt}: {Error}); next try at {RetryAt:O}",
                    work.Notice.Id, work.Subscription.Id, work.Attempts + 1, attempt.Error, retryAt);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            // The lease runs out and the notice is tried again (by this silo or another).
            logger.LogWarning(e, "Delivering {Notice} to subscription {Subscription} failed unexpectedly", work.Notice.Id, work.Subscription.Id);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the lease runs out and the notice is tried again after the restart.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _wake.Release();
        }
    }
}
