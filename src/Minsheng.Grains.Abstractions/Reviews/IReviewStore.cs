namespace Minsheng.Grains.Reviews;

/// <summary>
/// Published reviews as stored rows, one per review (plan, kind, key), written once and read on demand: the reviews
/// grain holds only which exist, never the documents, and a publication inserts its new rows in one transaction
/// instead of rewriting a book of every review. PostgreSQL table <c>minsheng_reviews</c> in that mode; in memory on the
/// embedded default.
/// </summary>
public interface IReviewStore
{
    /// <summary>The keys of a plan's published reviews of every kind, oldest first within a kind.</summary>
    Task<IReadOnlyList<ReviewKey>> Keys(string planId, CancellationToken cancellationToken = default);

    /// <summary>One review's JSON document as it is served, or null when it is not published.</summary>
    Task<string?> Read(string planId, ReviewKey key, CancellationToken cancellationToken = default);

    /// <summary>Every published review of one kind, oldest first (a monthly evaluation reads the weekly rankings).</summary>
    Task<IReadOnlyList<StoredReview>> ReadAll(string planId, ReviewKind kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores new reviews atomically: all of them or none. A review already stored under the same key is kept as it
    /// was (reviews are never recomputed), so a publication retried after a crash changes nothing. The notices that
    /// announce them (<paramref name="notices"/>, to the notification store) are stored in the same write.
    /// </summary>
    Task Publish(string planId, IReadOnlyList<StoredReview> reviews, IReadOnlyList<Minsheng.Domain.Notifications.Notice> notices,
        CancellationToken cancellationToken = default);
}

/// <summary>The kinds of published review.</summary>
public enum ReviewKind
{
    /// <summary>A weekly 晾晒 ranking; key: the ISO week (<c>2024-W23</c>).</summary>
    Weekly,

    /// <summary>A monthly 评估; key: the month (<c>2024-06</c>).</summary>
    Monthly,

    /// <summary>The year-end 综合考评 input; key: <c>final</c>.</summary>
    Final,
}

/// <summary>Names one published review of a plan.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.review-key.v1")]
public readonly record struct ReviewKey([property: Id(0)] ReviewKind Kind, [property: Id(1)] string Key)
{
    public const string FinalKey = "final";

    public static ReviewKey Final => new(ReviewKind.Final, FinalKey);
}

/// <summary>One published review: its key and the JSON document served for it.</summary>
public sealed record StoredReview(ReviewKey Key, string Json);
