using Minsheng.Domain.Notifications;

namespace Minsheng.Grains.Notifications;

/// <summary>
/// The notification store of the embedded default: the same rules as the PostgreSQL tables, in memory under one lock
/// (notices are few: cases, alerts at checks, reviews and digests, never one per report).
/// </summary>
public sealed class InMemoryNotificationStore : INotificationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PlanNotices> _plans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _subscriptions = new(StringComparer.Ordinal);
    private long _nextSequence = 1;

    private sealed class PlanNotices
    {
        public readonly HashSet<string> Ids = new(StringComparer.Ordinal);
        public readonly List<(long Sequence, Notice Notice)> Ordered = [];
    }

    private sealed class Entry(Subscription subscription, long cursor)
    {
        public Subscription Subscription { get; } = subscription;
        public long Cursor { get; set; } = cursor;
        public long? HeadSequence { get; set; }
        public int Attempts { get; set; }
        public DateTimeOffset? FirstAttemptAt { get; set; }
        public DateTimeOffset? NextAttemptAt { get; set; }
        public int? LastStatus { get; set; }
        public string? LastError { get; set; }
        public string? LeasedBy { get; set; }
        public DateTimeOffset LeasedUntil { get; set; }
        public List<DeliveryRecord> History { get; } = [];
    }

    public Task Append(string planId, IReadOnlyList<Notice> notices)
    {
        lock (_gate)
        {
            if (!_plans.TryGetValue(planId, out var plan)) _plans[planId] = plan = new PlanNotices();
            foreach (var notice in notices)
                if (plan.Ids.Add(notice.Id)) plan.Ordered.Add((_nextSequence++, notice));
        }
        return Task.CompletedTask;
    }

    public Task Add(Subscription subscription)
    {
        lock (_gate)
        {
            var cursor = _plans.TryGetValue(subscription.PlanId, out var plan) && plan.Ordered.Count > 0 ? plan.Ordered[^1].Sequence : 0;
            _subscriptions.Add(subscription.Id, new Entry(subscription, cursor));
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Subscription>> List(string planId)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<Subscription>>(_subscriptions.Values.Select(e => e.Subscription)
                .Where(s => s.PlanId == planId).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList());
    }

    public Task<Subscription?> Find(string planId, string subscriptionId)
    {
        lock (_gate)
            return Task.FromResult(_subscriptions.TryGetValue(subscriptionId, out var e) && e.Subscription.PlanId == planId ? e.Subscription : null);
    }

    public Task<bool> Remove(string planId, string subscriptionId)
    {
        lock (_gate)
            return Task.FromResult(_subscriptions.TryGetValue(subscriptionId, out var e) && e.Subscription.PlanId == planId
                && _subscriptions.Remove(subscriptionId));
    }

    public Task<IReadOnlyList<DeliveryWork>> Claim(string worker, DateTimeOffset now, TimeSpan lease, int max)
    {
        var work = new List<DeliveryWork>();
        lock (_gate)
        {
            foreach (var e in _subscriptions.Values.OrderBy(e => e.Subscription.CreatedAt))
            {
                if (work.Count >= max) break;
                if (e.LeasedBy is not null && e.LeasedUntil > now) continue;
                if (e.NextAttemptAt is { } due && due > now) continue;
                if (Head(e) is not { } head) continue;
                if (e.HeadSequence != head.Sequence) (e.HeadSequence, e.Attempts, e.FirstAttemptAt, e.LastStatus, e.LastError) = (head.Sequence, 0, null, null, null);
                (e.LeasedBy, e.LeasedUntil) = (worker, now + lease);
                work.Add(new DeliveryWork(e.Subscription, head.Notice, head.Sequence, e.Attempts, e.FirstAttemptAt));
            }
        }
        return Task.FromResult<IReadOnlyList<DeliveryWork>>(work);
    }

    private (long Sequence, Notice Notice)? Head(Entry e)
    {
        if (!_plans.TryGetValue(e.Subscription.PlanId, out var plan)) return null;
        foreach (var n in plan.Ordered)
            if (n.Sequence > e.Cursor && e.Subscription.Wants(n.Notice)) return n;
        return null;
    }

    public Task<bool> Record(string worker, DeliveryWork work, DeliveryAttempt attempt, DateTimeOffset at, DateTimeOffset? retryAt)
    {
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(work.Subscription.Id, out var e) || e.LeasedBy != worker || e.HeadSequence != work.Sequence)
                return Task.FromResult(false);
            var first = e.FirstAttemptAt ?? at;
            (e.LeasedBy, e.Attempts, e.LastStatus, e.LastError) = (null, e.Attempts + 1, attempt.Status, attempt.Error);
            if (attempt.Delivered || retryAt is null)
            {
                e.History.Add(new DeliveryRecord(work.DeliveryId, work.Notice.Id, work.Notice.Kind, work.Notice.Title, work.Sequence,
                    attempt.Delivered ? DeliveryState.Delivered : DeliveryState.Failed, e.Attempts, first, at, attempt.Status, attempt.Error));
                (e.Cursor, e.HeadSequence, e.Attempts, e.FirstAttemptAt, e.NextAttemptAt, e.LastStatus, e.LastError) =
                    (work.Sequence, null, 0, null, null, null, null);
            }
            else (e.FirstAttemptAt, e.NextAttemptAt) = (first, retryAt);
            return Task.FromResult(true);
        }
    }

    public Task<DeliveryHistory?> History(string planId, string subscriptionId, int limit)
    {
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var e) || e.Subscription.PlanId != planId) return Task.FromResult<DeliveryHistory?>(null);
            PendingDelivery? pending = null;
            if (Head(e) is { } head)
            {
                var same = e.HeadSequence == head.Sequence;
                pending = new PendingDelivery(head.Notice.Id, head.Notice.Kind, head.Notice.Title, head.Sequence, same ? e.Attempts : 0,
                    same ? e.FirstAttemptAt : null, same ? e.NextAttemptAt : null, same ? e.LastStatus : null, same ? e.LastError : null);
            }
            var history = e.History.AsEnumerable().Reverse().Take(limit).ToList();
            return Task.FromResult<DeliveryHistory?>(new DeliveryHistory(subscriptionId, pending, history));
        }
    }
}
