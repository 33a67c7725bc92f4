using Minsheng.Grains.Reviews;
using Npgsql;

namespace Minsheng.Persistence.Reviews;

/// <summary>Published reviews in PostgreSQL (<c>minsheng_reviews</c>, migration 0010): insert-only rows read by key.</summary>
public sealed class PostgresReviewStore(NpgsqlDataSource dataSource) : IReviewStore
{
    public async Task<IReadOnlyList<ReviewKey>> Keys(string planId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT kind, review_key FROM minsheng_reviews WHERE plan_id = $1 ORDER BY array_position(ARRAY['weekly', 'monthly', 'final'], kind), review_key");
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ReviewKey>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add(new ReviewKey(KindOf(reader.GetString(0)), reader.GetString(1)));
        return keys;
    }

    public async Task<string?> Read(string planId, ReviewKey key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT body FROM minsheng_reviews WHERE plan_id = $1 AND kind = $2 AND review_key = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = NameOf(key.Kind) });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Key });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<StoredReview>> ReadAll(string planId, ReviewKind kind, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT review_key, body FROM minsheng_reviews WHERE plan_id = $1 AND kind = $2 ORDER BY review_key");
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = NameOf(kind) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<StoredReview>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(new StoredReview(new ReviewKey(kind, reader.GetString(0)), reader.GetString(1)));
        return rows;
    }

    public async Task Publish(string planId, IReadOnlyList<StoredReview> reviews, IReadOnlyList<Minsheng.Domain.Notifications.Notice> notices,
        CancellationToken cancellationToken = default)
    {
        if (reviews.Count == 0) return;
        // One transaction: every review of a publication is stored with the notices announcing it, or nothing is.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO minsheng_reviews (plan_id, kind, review_key, body)
            SELECT $1, kind, review_key, body FROM unnest($2::text[], $3::text[], $4::text[]) AS r (kind, review_key, body)
            ON CONFLICT (plan_id, kind, review_key) DO NOTHING
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = reviews.Select(r => NameOf(r.Key.Kind)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reviews.Select(r => r.Key.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reviews.Select(r => r.Json).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        await Notifications.NoticeRows.Append(connection, transaction, planId, notices);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string NameOf(ReviewKind kind) => kind switch
    {
        ReviewKind.Weekly => "weekly",
        ReviewKind.Monthly => "monthly",
        ReviewKind.Final => "final",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static ReviewKind KindOf(string name) => name switch
    {
        "weekly" => ReviewKind.Weekly,
        "monthly" => ReviewKind.Monthly,
        "final" => ReviewKind.Final,
        _ => throw new InvalidDataException($"minsheng_reviews.kind '{name}' is not a review kind"),
    };
}
