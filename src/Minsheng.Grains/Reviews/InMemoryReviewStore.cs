using System.Collections.Concurrent;

namespace Minsheng.Grains.Reviews;

/// <summary>The review store of the embedded default: rows in memory, per plan, kept in key order.</summary>
public sealed class InMemoryReviewStore(Notifications.INotificationStore noticeStore) : IReviewStore
{
    private readonly ConcurrentDictionary<string, SortedDictionary<(ReviewKind, string), string>> _plans = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<ReviewKey>> Keys(string planId, CancellationToken cancellationToken = default)
    {
        var rows = Rows(planId);
        lock (rows) return Task.FromResult<IReadOnlyList<ReviewKey>>(rows.Keys.Select(k => new ReviewKey(k.Item1, k.Item2)).ToList());
    }

    public Task<string?> Read(string planId, ReviewKey key, CancellationToken cancellationToken = default)
    {
        var rows = Rows(planId);
        lock (rows) return Task.FromResult(rows.GetValueOrDefault((key.Kind, key.Key)));
    }

    public Task<IReadOnlyList<StoredReview>> ReadAll(string planId, ReviewKind kind, CancellationToken cancellationToken = default)
    {
        var rows = Rows(planId);
        lock (rows)
            return Task.FromResult<IReadOnlyList<StoredReview>>(rows.Where(r => r.Key.Item1 == kind)
                .Select(r => new StoredReview(new ReviewKey(kind, r.Key.Item2), r.Value)).ToList());
    }

    public Task Publish(string planId, IReadOnlyList<StoredReview> reviews, IReadOnlyList<Minsheng.Domain.Notifications.Notice> notices,
        CancellationToken cancellationToken = default)
    {
        var rows = Rows(planId);
        lock (rows)
            foreach (var review in reviews)
                rows.TryAdd((review.Key.Kind, review.Key.Key), review.Json);
        return notices.Count == 0 ? Task.CompletedTask : noticeStore.Append(planId, notices);
    }

    private SortedDictionary<(ReviewKind, string), string> Rows(string planId) =>
        _plans.GetOrAdd(planId, _ => new SortedDictionary<(ReviewKind, string), string>(Comparer<(ReviewKind, string)>.Create(
            (a, b) => a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : string.CompareOrdinal(a.Item2, b.Item2))));
}
