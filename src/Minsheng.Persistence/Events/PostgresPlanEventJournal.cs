using Minsheng.Domain;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
using Npgsql;

namespace Minsheng.Persistence.Events;

/// <summary>
/// The event journal in PostgreSQL (<c>minsheng_plan_events</c> and <c>minsheng_plan_event_streams</c>, migration 0011).
/// An append is one multi-row INSERT (one transaction); a number or an assignment version already stored refuses the
/// whole append, which the events grain takes as another activation having numbered the plan meanwhile.
/// </summary>
public sealed class PostgresPlanEventJournal(NpgsqlDataSource dataSource) : IPlanEventJournal
{
    public async Task<JournalHead> Open(string planId, string newEpoch, long sweepFrom)
    {
        await using var command = dataSource.CreateCommand("""
            WITH made AS (
                INSERT INTO minsheng_plan_event_streams (plan_id, epoch, sweep_from) VALUES ($1, $2, $3)
                ON CONFLICT (plan_id) DO NOTHING RETURNING epoch, sweep_from)
            SELECT epoch, sweep_from FROM made
            UNION ALL SELECT epoch, sweep_from FROM minsheng_plan_event_streams WHERE plan_id = $1
            LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = newEpoch });
        command.Parameters.Add(new NpgsqlParameter { Value = sweepFrom });
        string epoch;
        long from;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync()) throw new InvalidOperationException($"The event stream of {planId} could not be opened");
            (epoch, from) = (reader.GetString(0), reader.GetInt64(1));
        }
        await using var last = dataSource.CreateCommand("SELECT coalesce(max(number), 0) FROM minsheng_plan_events WHERE plan_id = $1");
        last.Parameters.Add(new NpgsqlParameter { Value = planId });
        return new JournalHead(epoch, from, (long)(await last.ExecuteScalarAsync())!);
    }

    public async Task Append(string planId, long first, IReadOnlyList<JournalEntry> entries)
    {
        if (entries.Count == 0) return;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO minsheng_plan_events (plan_id, number, kind, at, data, task_id, unit_id, metric_id, version)
            SELECT $1, $2 + e.i - 1, e.kind, e.at, e.data, e.t, e.u, e.m, e.v
            FROM unnest($3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])
                 WITH ORDINALITY AS e (kind, at, data, t, u, m, v, i)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = first });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Event.Kind.WireName()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Event.At.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Event.Data).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Progress?.Key.TaskId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Progress?.Key.UnitId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Progress?.Key.MetricId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Progress?.Version).ToArray() });
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new EventNumberTakenException(planId, first);
        }
    }

    public async Task Prune(string planId, long upTo, long sweepFrom)
    {
        await using var batch = dataSource.CreateBatch();
        var delete = new NpgsqlBatchCommand("DELETE FROM minsheng_plan_events WHERE plan_id = $1 AND number <= $2");
        delete.Parameters.Add(new NpgsqlParameter { Value = planId });
        delete.Parameters.Add(new NpgsqlParameter { Value = upTo });
        var move = new NpgsqlBatchCommand("UPDATE minsheng_plan_event_streams SET sweep_from = greatest(sweep_from, $2) WHERE plan_id = $1");
        move.Parameters.Add(new NpgsqlParameter { Value = planId });
        move.Parameters.Add(new NpgsqlParameter { Value = sweepFrom });
        batch.BatchCommands.Add(delete);
        batch.BatchCommands.Add(move);
        await batch.ExecuteNonQueryAsync(); // one batch, one implicit transaction
    }

    public async Task<JournalRead> ReadAfter(string planId, long after, int limit)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT number, kind, at, data FROM minsheng_plan_events WHERE plan_id = $1 AND number > $2 ORDER BY number LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)limit });
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<PlanEvent>();
        var first = after + 1;
        while (await reader.ReadAsync())
        {
            var number = reader.GetInt64(0);
            if (events.Count == 0) first = number;
            else if (number != first + events.Count) break; // never: numbers are stored without gaps
            events.Add(new PlanEvent(planId, WireNames.Parse<PlanEventKind>(reader.GetString(1)), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(2)));
        }
        return new JournalRead(first, events);
    }

    public async Task<IReadOnlyList<ProgressMark>> LatestProgress(string planId, IReadOnlyCollection<AssignmentKey> keys)
    {
        if (keys.Count == 0) return [];
        await using var command = dataSource.CreateCommand("""
            SELECT k.t, k.u, k.m, r.version
            FROM unnest($2::text[], $3::text[], $4::text[]) AS k (t, u, m)
            CROSS JOIN LATERAL (
                SELECT version FROM minsheng_plan_events e
                WHERE e.plan_id = $1 AND e.task_id = k.t AND e.unit_id = k.u AND e.metric_id = k.m AND e.version IS NOT NULL
                ORDER BY e.version DESC LIMIT 1) AS r
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.TaskId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.UnitId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.MetricId).ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var marks = new List<ProgressMark>();
        while (await reader.ReadAsync())
            marks.Add(new ProgressMark(new AssignmentKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)), reader.GetInt64(3)));
        return marks;
    }
}
