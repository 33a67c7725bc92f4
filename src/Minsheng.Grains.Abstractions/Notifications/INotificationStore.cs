using Minsheng.Domain.Notifications;

namespace Minsheng.Grains.Notifications;

/// <summary>
/// A plan's notices and the subscriptions that receive them: the durable outbox of notifications. A notice is stored
/// once (its id is its key: storing it again changes nothing) and numbered in the plan's order; each subscription keeps
/// a cursor into that order and delivers the notices it wants one at a time, so its order is the plan's, and moving
/// the cursor past a notice is the same write that records the delivery.
/// </summary>
public interface INotificationStore
{
    /// <summary>Stores the notices not stored yet (by id), numbering them in the order given; one atomic write.</summary>
    Task Append(string planId, IReadOnlyList<Notice> notices);

    /// <summary>Adds a subscription whose cursor starts after the plan's latest notice (what happened before is not sent).</summary>
    Task Add(Subscription subscription);

    /// <summary>A plan's subscriptions, oldest first.</summary>
    Task<IReadOnlyList<Subscription>> List(string planId);

    Task<Subscription?> Find(string planId, string subscriptionId);

    /// <summary>Removes a subscription and its delivery history; false when there was none.</summary>
    Task<bool> Remove(string planId, string subscriptionId);

    /// <summary>
    /// Leases up to <paramref name="max"/> subscriptions (of any plan) that have a notice waiting and are due, until
    /// <paramref name="now"/> + <paramref name="lease"/>, for <paramref name="worker"/>; returns the head of each queue.
    /// A subscription leased by another worker and not expired is skipped.
    /// </summary>
    Task<IReadOnlyList<DeliveryWork>> Claim(string worker, DateTimeOffset now, TimeSpan lease, int max);

    /// <summary>
    /// Records an attempt of <paramref name="work"/> by the worker holding its lease: delivered or given up moves the
    /// cursor past the notice and writes its history line (one transaction); otherwise the attempt is counted and the
    /// next is due at <paramref name="retryAt"/>. False when the lease was lost (nothing written).
    /// </summary>
    Task<bool> Record(string worker, DeliveryWork work, DeliveryAttempt attempt, DateTimeOffset at, DateTimeOffset? retryAt);

    /// <summary>A subscription's deliveries, newest first, and the notice it is trying now.</summary>
    Task<DeliveryHistory?> History(string planId, string subscriptionId, int limit);
}

/// <summary>A subscription's history: what it is trying now, and what it delivered or gave up, newest first.</summary>
public sealed record DeliveryHistory(string SubscriptionId, PendingDelivery? Pending, IReadOnlyList<DeliveryRecord> Deliveries);

/// <summary>The notice a subscription is trying to deliver: how often it tried and when it tries next.</summary>
public sealed record PendingDelivery(string NoticeId, NoticeKind Event, string Title, long Sequence, int Attempts,
    DateTimeOffset? FirstAttemptAt, DateTimeOffset? NextAttemptAt, int? LastStatus, string? LastError);

/// <summary>One notice delivered (or given up) to a subscription.</summary>
public sealed record DeliveryRecord(string DeliveryId, string NoticeId, NoticeKind Event, string Title, long Sequence,
    DeliveryState State, int Attempts, DateTimeOffset FirstAttemptAt, DateTimeOffset FinishedAt, int? LastStatus, string? LastError);

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DeliveryState>))]
public enum DeliveryState
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("delivered")] Delivered,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("failed")] Failed,
}
