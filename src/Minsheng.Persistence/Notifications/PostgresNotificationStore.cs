using System.Text.Json;
using Minsheng.Domain;
using Minsheng.Domain.Notifications;
using Minsheng.Grains.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace Minsheng.Persistence.Notifications;

/// <summary>
/// Notices, subscriptions and deliveries in PostgreSQL (migration 0014). Silos share the work by leases on
/// subscriptions: a claim takes due subscriptions nobody holds (<c>FOR UPDATE SKIP LOCKED</c>), and an attempt is
/// recorded only by the lease's holder, so a silo that lost its lease (frozen past it) writes nothing.
/// </summary>
public sealed class PostgresNotificationStore(NpgsqlDataSource dataSource) : INotificationStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // A notice the subscription s wants: its plan and kind, and (when both name units) a unit in common.
    private const string Wants = "n.plan_id = s.plan_id AND n.kind = ANY (s.events) AND (cardinality(s.units) = 0 OR cardinality(n.units) = 0 OR n.units && s.units)";

    public async Task Append(string planId, IReadOnlyList<Notice> notices)
    {
        if (notices.Count == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await NoticeRows.Append(connection, transaction, planId, notices);
        await transaction.CommitAsync();
    }

    public async Task Add(Subscription s)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO minsheng_subscriptions (id, plan_id, name, format, endpoint, secret, events, units, created_at, created_by, cursor)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                    COALESCE((SELECT max(seq) FROM minsheng_notices WHERE plan_id = $2), 0))
            """);
        Add(command, s.Id, s.PlanId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)s.Name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        Add(command, s.Format.WireName(), s.Endpoint.AbsoluteUri, s.Secret);
        Add(command, (object)s.Events.Select(e => e.WireName()).ToArray());
        Add(command, (object)s.Units.ToArray());
        Add(command, s.CreatedAt.ToUniversalTime());
        Add(command, s.CreatedBy);
        await command.ExecuteNonQueryAsync();
    }

    private const string SubscriptionColumns = "s.id, s.plan_id, s.name, s.format, s.endpoint, s.secret, s.events, s.units, s.created_at, s.created_by";

    public async Task<IReadOnlyList<Subscription>> List(string planId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SubscriptionColumns} FROM minsheng_subscriptions s WHERE s.plan_id = $1 ORDER BY s.created_at, s.id");
        Add(command, planId);
        return await ReadSubscriptions(command);
    }

    public async Task<Subscription?> Find(string planId, string subscriptionId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SubscriptionColumns} FROM minsheng_subscriptions s WHERE s.plan_id = $1 AND s.id = $2");
        Add(command, planId, subscriptionId);
        return (await ReadSubscriptions(command)).FirstOrDefault();
    }

    public async Task<bool> Remove(string planId, string subscriptionId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM minsheng_subscriptions WHERE plan_id = $1 AND id = $2");
        Add(command, planId, subscriptionId);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<IReadOnlyList<DeliveryWork>> Claim(string worker, DateTimeOffset now, TimeSpan lease, int max)
    {
        // The head of each due, unleased subscription's queue; a head that changed starts its attempts from nothing.
        await using var command = dataSource.CreateCommand($"""
            WITH due AS (
                SELECT s.id, h.seq
                FROM minsheng_subscriptions s
                CROSS JOIN LATERAL (SELECT n.seq FROM minsheng_notices n WHERE n.seq > s.cursor AND {Wants} ORDER BY n.seq LIMIT 1) h
                WHERE (s.leased_until IS NULL OR s.leased_until < $2) AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= $2)
                ORDER BY s.created_at
                LIMIT $4
                FOR UPDATE OF s SKIP LOCKED)
            UPDATE minsheng_subscriptions s
            SET leased_by = $1, leased_until = $3,
                attempts = CASE WHEN s.head_seq IS DISTINCT FROM due.seq THEN 0 ELSE s.attempts END,
                first_attempt_at = CASE WHEN s.head_seq IS DISTINCT FROM due.seq THEN NULL ELSE s.first_attempt_at END,
                last_status = CASE WHEN s.head_seq IS DISTINCT FROM due.seq THEN NULL ELSE s.last_status END,
                last_error = CASE WHEN s.head_seq IS DISTINCT FROM due.seq THEN NULL ELSE s.last_error END,
                head_seq = due.seq
            FROM due
            WHERE s.id = due.id
            RETURNING {SubscriptionColumns}, s.head_seq, s.attempts, s.first_attempt_at
            """);
        Add(command, worker);
        Add(command, now.ToUniversalTime(), (now + lease).ToUniversalTime());
        Add(command, (long)max);
        var heads = new List<(Subscription S, long Seq, int Attempts, DateTimeOffset? First)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                heads.Add((ReadSubscription(reader), reader.GetInt64(10), reader.GetInt32(11),
                    reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12)));
        if (heads.Count == 0) return [];
        var notices = await Notices(heads.Select(h => h.Seq).ToArray());
        return heads.Where(h => notices.ContainsKey(h.Seq))
            .Select(h => new DeliveryWork(h.S, notices[h.Seq], h.Seq, h.Attempts, h.First)).ToList();
    }

    private async Task<Dictionary<long, Notice>> Notices(long[] seqs)
    {
        await using var command = dataSource.CreateCommand("SELECT seq, plan_id, id, kind, at, units, title, body FROM minsheng_notices WHERE seq = ANY ($1)");
        Add(command, seqs);
        var found = new Dictionary<long, Notice>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var body = JsonSerializer.Deserialize<NoticeRows.StoredBody>(reader.GetString(7), Json)!;
            found[reader.GetInt64(0)] = new Notice(reader.GetString(1), reader.GetString(2), WireNames.Parse<NoticeKind>(reader.GetString(3)),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<string[]>(5), reader.GetString(6), body.Markdown, body.Data);
        }
        return found;
    }

    public async Task<bool> Record(string worker, DeliveryWork work, DeliveryAttempt attempt, DateTimeOffset at, DateTimeOffset? retryAt)
    {
        var finished = attempt.Delivered || retryAt is null;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand(finished
            ? """
              UPDATE minsheng_subscriptions SET cursor = $3, head_seq = NULL, attempts = 0, first_attempt_at = NULL, next_attempt_at = NULL,
                  last_status = NULL, last_error = NULL, leased_by = NULL, leased_until = NULL
              WHERE id = $1 AND leased_by = $2 AND head_seq = $3
              RETURNING attempts
              """
            : """
              UPDATE minsheng_subscriptions SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, $4),
                  next_attempt_at = $5, last_status = $6, last_error = $7, leased_by = NULL, leased_until = NULL
              WHERE id = $1 AND leased_by = $2 AND head_seq = $3
              RETURNING attempts
              """, connection, transaction))
        {
            Add(update, work.Subscription.Id, worker);
            Add(update, work.Sequence);
            if (!finished)
            {
                Add(update, at.ToUniversalTime(), retryAt!.Value.ToUniversalTime());
                update.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt.Status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
                update.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            }
            if (await update.ExecuteScalarAsync() is null) return false; // the lease was lost: another silo has it now
        }
        if (finished)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO minsheng_deliveries (subscription_id, seq, notice_id, kind, title, state, attempts, first_attempt_at, finished_at, last_status, last_error)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """, connection, transaction);
            Add(insert, work.Subscription.Id);
            Add(insert, work.Sequence);
            Add(insert, work.Notice.Id, work.Notice.Kind.WireName(), work.Notice.Title, attempt.Delivered ? "delivered" : "failed");
            Add(insert, work.Attempts + 1);
            Add(insert, (work.FirstAttemptAt ?? at).ToUniversalTime(), at.ToUniversalTime());
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt.Status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return true;
    }

    public async Task<DeliveryHistory?> History(string planId, string subscriptionId, int limit)
    {
        await using var head = dataSource.CreateCommand($"""
            SELECT n.id, n.kind, n.title, n.seq, s.head_seq, s.attempts, s.first_attempt_at, s.next_attempt_at, s.last_status, s.last_error
            FROM minsheng_subscriptions s
            LEFT JOIN LATERAL (SELECT n.id, n.kind, n.title, n.seq FROM minsheng_notices n WHERE n.seq > s.cursor AND {Wants} ORDER BY n.seq LIMIT 1) n ON true
            WHERE s.plan_id = $1 AND s.id = $2
            """);
        Add(head, planId, subscriptionId);
        PendingDelivery? pending = null;
        await using (var reader = await head.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync()) return null;
            if (!reader.IsDBNull(0))
            {
                var seq = reader.GetInt64(3);
                var same = !reader.IsDBNull(4) && reader.GetInt64(4) == seq;
                pending = new PendingDelivery(reader.GetString(0), WireNames.Parse<NoticeKind>(reader.GetString(1)), reader.GetString(2), seq,
                    same ? reader.GetInt32(5) : 0,
                    same && !reader.IsDBNull(6) ? reader.GetFieldValue<DateTimeOffset>(6) : null,
                    same && !reader.IsDBNull(7) ? reader.GetFieldValue<DateTimeOffset>(7) : null,
                    same && !reader.IsDBNull(8) ? reader.GetInt32(8) : null,
                    same && !reader.IsDBNull(9) ? reader.GetString(9) : null);
            }
        }
        await using var list = dataSource.CreateCommand("""
            SELECT seq, notice_id, kind, title, state, attempts, first_attempt_at, finished_at, last_status, last_error
            FROM minsheng_deliveries WHERE subscription_id = $1 ORDER BY seq DESC LIMIT $2
            """);
        Add(list, subscriptionId);
        Add(list, (long)limit);
        var records = new List<DeliveryRecord>();
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                records.Add(new DeliveryRecord($"{subscriptionId}-{reader.GetInt64(0)}", reader.GetString(1), WireNames.Parse<NoticeKind>(reader.GetString(2)),
                    reader.GetString(3), reader.GetInt64(0), reader.GetString(4) == "delivered" ? DeliveryState.Delivered : DeliveryState.Failed,
                    reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
                    reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        return new DeliveryHistory(subscriptionId, pending, records);
    }

    private static async Task<IReadOnlyList<Subscription>> ReadSubscriptions(NpgsqlCommand command)
    {
        var list = new List<Subscription>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) list.Add(ReadSubscription(reader));
        return list;
    }

    private static Subscription ReadSubscription(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), WireNames.Parse<SubscriptionFormat>(r.GetString(3)),
        new Uri(r.GetString(4)), r.GetString(5), r.GetFieldValue<string[]>(6).Select(WireNames.Parse<NoticeKind>).ToList(),
        r.GetFieldValue<string[]>(7), r.GetFieldValue<DateTimeOffset>(8), r.GetString(9));

    private static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
    }
}
