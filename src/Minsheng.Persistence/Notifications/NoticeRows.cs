using System.Text.Json;
using Minsheng.Domain;
using Minsheng.Domain.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace Minsheng.Persistence.Notifications;

/// <summary>
/// Stores notices inside a caller's transaction, so a cause stored in PostgreSQL (a review) and its notices are one
/// write. The plan's advisory lock is taken first and held to the commit, so the plan's notices are numbered in the
/// order they commit: a subscription that moved past a number never finds a smaller one committed after it.
/// </summary>
internal static class NoticeRows
{
    internal sealed record StoredBody(string Markdown, JsonElement Data);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task Append(NpgsqlConnection connection, NpgsqlTransaction transaction, string planId, IReadOnlyList<Notice> notices)
    {
        if (notices.Count == 0) return;
        await using (var lockPlan = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('minsheng_notices:' || $1, 0))", connection, transaction))
        {
            lockPlan.Parameters.Add(new NpgsqlParameter { Value = planId });
            await lockPlan.ExecuteNonQueryAsync();
        }
        // One statement: the rows in the order given (ORDINALITY), each numbered as inserted; ids stored before are skipped.
        await using var command = new NpgsqlCommand("""
            INSERT INTO minsheng_notices (plan_id, id, kind, at, units, title, body)
            SELECT $1, e.id, e.kind, e.at, ARRAY(SELECT jsonb_array_elements_text(e.units)), e.title, e.body
            FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::jsonb[], $6::text[], $7::jsonb[]) WITH ORDINALITY AS e (id, kind, at, units, title, body, i)
            ORDER BY e.i
            ON CONFLICT (plan_id, id) DO NOTHING
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Kind.WireName()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.At.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = notices.Select(n => JsonSerializer.Serialize(n.Units, Json)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Title).ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = notices.Select(n => JsonSerializer.Serialize(new StoredBody(n.Markdown, n.Data), Json)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        await command.ExecuteNonQueryAsync();
    }
}
