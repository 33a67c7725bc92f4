namespace Minsheng.Grains.Reviews;

/// <summary>What a plan's reviews grain stores: each published review as the JSON it is served as, never rewritten.</summary>
[GenerateSerializer, Alias("minsheng.reviews-book.v1")]
public sealed class ReviewsBook
{
    /// <summary>Weekly rankings by ISO week ("2024-W23").</summary>
    [Id(0)] public SortedDictionary<string, string> Weeks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Monthly evaluations by month ("2024-06").</summary>
    [Id(1)] public SortedDictionary<string, string> Months { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The year-end input, once the final deadline has passed.</summary>
    [Id(2)] public string? Final { get; set; }
}
