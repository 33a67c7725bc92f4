namespace Minsheng.Grains;

/// <summary>
/// The published reviews of one plan (key: the plan id): weekly 晾晒 rankings (Mondays 09:00), monthly 评估 (each
/// month's last second) and the year-end 综合考评 input. Each is computed once, on the report log's facts as they
/// stood at its instant, stored durably and never changed: one activation in the cluster serves the same bytes to
/// every silo. Payloads are JSON documents (the API's shape).
/// </summary>
public interface IReviewsGrain : ISettles
{
    /// <summary>
    /// Publishes every review whose instant is at or before <paramref name="now"/> and is not published yet. The
    /// supervisor calls it with its cases (the reviews grain never calls back into the supervisor that is calling it).
    /// </summary>
    Task CatchUp(DateTimeOffset now, IReadOnlyList<Minsheng.Domain.Supervision.SupervisionCase> cases);

    /// <summary>The weekly ranking of an ISO week (<c>2024-W23</c>), or of the latest published week when null.</summary>
    [ReadOnly]
    Task<string?> GetWeekly(string? isoWeek);

    /// <summary>A month's evaluation (<c>2024-06</c>), or <c>final</c> for the year-end input; null when not published.</summary>
    [ReadOnly]
    Task<string?> GetEvaluation(string month);

    /// <summary>What has been published so far: the ISO weeks and months, oldest first, and whether the year-end input exists.</summary>
    [ReadOnly]
    Task<PublishedReviews> GetPublished();
}

/// <summary>The keys of a plan's published reviews: ISO weeks (<c>2024-W23</c>) and months (<c>2024-06</c>), oldest first.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.published-reviews.v1")]
public sealed record PublishedReviews(
    [property: Id(0)] string[] Weeks,
    [property: Id(1)] string[] Months,
    [property: Id(2)] bool Final);
