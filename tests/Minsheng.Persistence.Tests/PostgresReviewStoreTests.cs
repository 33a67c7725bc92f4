using Minsheng.Grains.Reviews;
using Minsheng.Grains.Tests;
using Minsheng.Persistence.Reviews;
using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>
/// The PostgreSQL review store (<c>minsheng_reviews</c>, migration 0010) keeps the review-store contract, and a
/// publication is one statement: a row that cannot be stored leaves none of its publication behind.
/// </summary>
public sealed class PostgresReviewStoreTests : ReviewStoreContract, IAsyncLifetime
{
    private TestDatabase _db = null!;
    private NpgsqlDataSource _source = null!;
    private PostgresReviewStore _store = null!;

    protected override IReviewStore Store => _store;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(_db.ConnectionString);
        _source = NpgsqlDataSource.Create(_db.ConnectionString);
        _store = new PostgresReviewStore(_source);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_publication_is_atomic()
    {
        // A NUL character cannot be stored in a text column: the second row fails, and the first is not kept either.
        var bad = new[]
        {
            new StoredReview(new ReviewKey(ReviewKind.Weekly, "2024-W10"), "\"fine\""),
            new StoredReview(new ReviewKey(ReviewKind.Weekly, "2024-W11"), "\"bad\0\""),
        };
        await Assert.ThrowsAnyAsync<Exception>(() => _store.Publish("atomic", bad, []));
        Assert.Empty(await _store.Keys("atomic"));
    }
}
