using Minsheng.Grains.Reviews;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The contract every review store keeps (in memory here, PostgreSQL in Minsheng.Persistence.Tests): a publication is
/// stored whole, a review once stored is never replaced, reads are by key and per kind in key order, plans apart.
/// </summary>
public abstract class ReviewStoreContract
{
    protected abstract IReviewStore Store { get; }

    private static StoredReview Weekly(string week, string json) => new(new ReviewKey(ReviewKind.Weekly, week), json);

    private static StoredReview Monthly(string month, string json) => new(new ReviewKey(ReviewKind.Monthly, month), json);

    [Fact]
    public async Task A_publication_is_read_back_by_key_and_per_kind_in_key_order()
    {
        await Store.Publish("p1", [Weekly("2024-W11", """{"week":"2024-W11"}"""), Weekly("2024-W10", """{"week":"2024-W10"}"""), Monthly("2024-03", """{"month":"2024-03"}""")], []);
        await Store.Publish("p1", [new StoredReview(ReviewKey.Final, """{"final":true}""")], []);

        Assert.Equal("""{"week":"2024-W10"}""", await Store.Read("p1", new ReviewKey(ReviewKind.Weekly, "2024-W10")));
        Assert.Equal("""{"final":true}""", await Store.Read("p1", ReviewKey.Final));
        Assert.Null(await Store.Read("p1", new ReviewKey(ReviewKind.Monthly, "2024-04")));
        Assert.Equal(["2024-W10", "2024-W11"], (await Store.ReadAll("p1", ReviewKind.Weekly)).Select(r => r.Key.Key));
        Assert.Equal(
            [new ReviewKey(ReviewKind.Weekly, "2024-W10"), new ReviewKey(ReviewKind.Weekly, "2024-W11"), new ReviewKey(ReviewKind.Monthly, "2024-03"), ReviewKey.Final],
            await Store.Keys("p1"));
    }

    [Fact]
    public async Task A_stored_review_is_never_replaced_and_plans_are_apart()
    {
        await Store.Publish("p2", [Weekly("2024-W10", "\"first\"")], []);
        // A retried publication (after a crash between the store and the announcement) changes nothing stored.
        await Store.Publish("p2", [Weekly("2024-W10", "\"second\""), Weekly("2024-W12", "\"new\"")], []);
        Assert.Equal("\"first\"", await Store.Read("p2", new ReviewKey(ReviewKind.Weekly, "2024-W10")));
        Assert.Equal("\"new\"", await Store.Read("p2", new ReviewKey(ReviewKind.Weekly, "2024-W12")));
        Assert.Empty(await Store.Keys("p3"));
        Assert.Null(await Store.Read("p3", new ReviewKey(ReviewKind.Weekly, "2024-W10")));
        await Store.Publish("p3", [], []);
        Assert.Empty(await Store.ReadAll("p3", ReviewKind.Weekly));
    }
}
