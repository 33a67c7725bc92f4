using System.Diagnostics;
using System.Threading.Channels;
using Minsheng.Domain;
using Minsheng.Domain.Plans;
using Minsheng.Grains.ReportLog;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Minsheng.Persistence.ReportLog;

/// <summary>
/// The report log in PostgreSQL (<c>minsheng_report_log</c>, migration 0006) with group commit: appends that arrive
/// together are written in one transaction (<c>synchronous_commit</c> stays on), and each caller is answered after the
/// commit that holds its row. One durable write per batch instead of one per report is what lets reports keep pace
/// with a bare single-row INSERT at the same concurrency.
/// </summary>
public sealed class PostgresReportLog : IReportLog, IAsyncDisposable
{
    private const int MaxBatch = 256;
    /// <summary>The <c>kind</c> column's text of a report row.</summary>
    private static readonly string ReportKind = LogKind.Report.WireName();

    private const string Columns = "plan_id, seq, owner_id, kind, report_id, task_id, unit_id, metric_id, version, completed, previous, at, role, person, fingerprint, last_report_at, done_at, body::text";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PlanCatalog _catalog;
    private readonly ILogger<PostgresReportLog> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public PostgresReportLog(NpgsqlDataSource dataSource, PlanCatalog catalog, ILogger<PostgresReportLog> logger)
    {
        _dataSource = dataSource;
        _catalog = catalog;
        _logger = logger;
        // Not flowing the constructing caller's context: the writer's spans take their parents from the batch only.
        using (ExecutionContext.SuppressFlow()) _writer = Task.Run(WriteLoop);
    }

    public Task<AppendResult> Append(ReportLogEntry entry)
    {
        var pending = new Pending(entry, new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously),
            Activity.Current?.Context);
        if (!_queue.Writer.TryWrite(pending)) throw new InvalidOperationException("The report log is shutting down.");
        return pending.Done.Task;
    }

    /// <summary>
    /// The latest row of each key ($2–$4: arrays of task, unit and metric ids): one backward step on the (plan, task,
    /// unit, metric, version) index per key, bounded by the keys, not the history.
    /// </summary>
    private static readonly string LatestSql = PerKeySql("""
        SELECT * FROM minsheng_report_log l
        WHERE l.plan_id = $1 AND l.task_id = k.t AND l.unit_id = k.u AND l.metric_id = k.m
        ORDER BY l.version DESC LIMIT 1
        """);

    /// <summary>
    /// The row of each key that stood at $5 (<see cref="IReportLog.ReadAsOf"/>): the newest row (a backward step on the
    /// version index) when it is stamped by then, which is the common case of checkpoints and reviews judged on time;
    /// else the row stamped latest by then (a backward step on the (plan, task, unit, metric, at, version) index of
    /// migration 0009), which the one-time filter runs only then. The two branches exclude each other, so the answer
    /// does not depend on the order PostgreSQL runs them in.
    /// </summary>
    internal static readonly string AsOfSql = PerKeySql("""
        SELECT r.* FROM
            (SELECT * FROM minsheng_report_log l
             WHERE l.plan_id = $1 AND l.task_id = k.t AND l.unit_id = k.u AND l.metric_id = k.m
             ORDER BY l.version DESC LIMIT 1) AS n
            CROSS JOIN LATERAL (
                SELECT n.* WHERE n.at <= $5
                UNION ALL
                (SELECT * FROM minsheng_report_log l
                 WHERE n.at > $5 AND l.plan_id = $1 AND l.task_id = k.t AND l.unit_id = k.u AND l.metric_id = k.m AND l.at <= $5
                 ORDER BY l.at DESC, l.version DESC LIMIT 1)) AS r
        """);

    public Task<IReadOnlyList<ReportLogEntry>> ReadLatest(string planId, IReadOnlyCollection<AssignmentKey> keys) =>
        PerKey(LatestSql, planId, keys);

    public Task<IReadOnlyList<ReportLogEntry>> ReadAsOf(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset at) =>
        PerKey(AsOfSql, planId, keys, at.ToUniversalTime());

    /// <summary>
    /// The rows of each key stamped in ($5, $6] (<see cref="IReportLog.ReadStamped"/>): one range scan per key on the
    /// (plan, task, unit, metric, at, version) index of migration 0009, in its order.
    /// </summary>
    internal static readonly string StampedSql = PerKeySql("""
        SELECT * FROM minsheng_report_log l
        WHERE l.plan_id = $1 AND l.task_id = k.t AND l.unit_id = k.u AND l.metric_id = k.m AND l.at > $5 AND l.at <= $6
        ORDER BY l.at, l.version
        """);

    public Task<IReadOnlyList<ReportLogEntry>> ReadStamped(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset after, DateTimeOffset upTo) =>
        PerKey(StampedSql, planId, keys, after.ToUniversalTime(), upTo.ToUniversalTime());

    /// <summary>One lookup per key: the keys as arrays, unnested, each joined to its row by <paramref name="lookup"/>.</summary>
    private static string PerKeySql(string lookup) =>
        $"SELECT {Columns} FROM unnest($2::text[], $3::text[], $4::text[]) AS k(t, u, m) CROSS JOIN LATERAL ({lookup}) AS r";

    /// <summary>Runs a per-key SQL (<see cref="PerKeySql"/>) with the plan, the keys and any further parameters ($5…).</summary>
    private async Task<IReadOnlyList<ReportLogEntry>> PerKey(string sql, string planId, IReadOnlyCollection<AssignmentKey> keys, params object[] more)
    {
        if (keys.Count == 0) return [];
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.TaskId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.UnitId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.MetricId).ToArray() });
        foreach (var value in more) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<ReportLogEntry>(keys.Count);
        while (await reader.ReadAsync()) rows.Add(Read(reader));
        return rows;
    }

    public async Task<ReportLogEntry?> FindAt(string planId, long seq) =>
        (await Query($"SELECT {Columns} FROM minsheng_report_log WHERE plan_id = $1 AND seq = $2", planId, seq)).FirstOrDefault();

    public async Task<long> LastSeq(string planId)
    {
        await using var command = _dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM minsheng_report_log WHERE plan_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<ReportLogEntry?> FindReport(string planId, string reportId) =>
        (await Query($"SELECT {Columns} FROM minsheng_report_log WHERE plan_id = $1 AND report_id = $2", planId, reportId)).FirstOrDefault();

    public Task<IReadOnlyList<ReportLogEntry>> ReadAssignment(string planId, string taskId, string unitId, long after = 0, int limit = int.MaxValue) =>
        Query($"SELECT {Columns} FROM minsheng_report_log WHERE plan_id = $1 AND task_id = $2 AND unit_id = $3 AND kind = '{ReportKind}' AND seq > $4 ORDER BY seq LIMIT $5",
            planId, taskId, unitId, after, (long)limit);

    private async Task WriteLoop()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            // One span per group commit: a child of the first caller's span (so a lone report's trace reaches the
            // database), linked to every caller's span; Npgsql's spans nest under it.
            using var activity = ReportLogTelemetry.StartWrite(batch.Select(p => p.Caller), batch.Count);
            try
            {
                var results = await Write(batch);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                _logger.LogError(e, "Writing {Count} report-log rows failed; none of them was acknowledged", batch.Count);
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// One transaction for the batch: each row inserted unless its reportId or version is taken or it does not follow
    /// its predecessor (version n − 1 missing, or holding another count than the row's <c>previous</c>; checked in the INSERT, so one bad row refuses only itself; the chain's foreign key, migration
    /// 0007, is the backstop for any other writer).
    /// </summary>
    private async Task<AppendResult[]> Write(List<Pending> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var results = new AppendResult[batch.Count];
        await using (var insert = new NpgsqlBatch(connection, transaction))
        {
            foreach (var p in batch) insert.BatchCommands.Add(Insert(p.Entry));
            await using var reader = await insert.ExecuteReaderAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                if (i > 0) await reader.NextResultAsync();
                results[i] = await reader.ReadAsync() ? new AppendResult(AppendStatus.Appended, reader.GetInt64(0)) : null!;
            }
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] is not null) continue;
            var e = batch[i].Entry;
            var existing = e.ReportId is null ? [] : await Query(connection, transaction,
                $"SELECT {Columns} FROM minsheng_report_log WHERE plan_id = $1 AND report_id = $2", e.PlanId, e.ReportId);
            results[i] = existing.Count > 0 ? new AppendResult(AppendStatus.DuplicateReportId, existing[0].Seq, existing[0])
                : await VersionExists(connection, transaction, e) ? new AppendResult(AppendStatus.VersionTaken, 0)
                : new AppendResult(AppendStatus.PredecessorMissing, 0);
        }
        await transaction.CommitAsync();
        return results;
    }

    private static async Task<bool> VersionExists(NpgsqlConnection connection, NpgsqlTransaction transaction, ReportLogEntry e)
    {
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM minsheng_report_log WHERE plan_id = $1 AND task_id = $2 AND unit_id = $3 AND metric_id = $4 AND version = $5)",
            connection, transaction);
        foreach (var value in new object[] { e.PlanId, e.TaskId, e.UnitId, e.MetricId, e.Version })
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static NpgsqlBatchCommand Insert(ReportLogEntry e)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO minsheng_report_log (plan_id, owner_id, kind, report_id, task_id, unit_id, metric_id, version, completed, previous,
                at, role, person, fingerprint, last_report_at, done_at, body)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17
            WHERE $8 = 1 OR EXISTS (SELECT 1 FROM minsheng_report_log
                WHERE plan_id = $1 AND task_id = $5 AND unit_id = $6 AND metric_id = $7 AND version = $8 - 1 AND completed = $10)
            ON CONFLICT DO NOTHING
            RETURNING seq
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { Value = e.PlanId });
        p.Add(new NpgsqlParameter { Value = e.OwnerId });
        p.Add(new NpgsqlParameter { Value = e.Kind.WireName() });
        p.Add(new NpgsqlParameter { Value = (object?)e.ReportId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = e.TaskId });
        p.Add(new NpgsqlParameter { Value = e.UnitId });
        p.Add(new NpgsqlParameter { Value = e.MetricId });
        p.Add(new NpgsqlParameter { Value = e.Version });
        p.Add(new NpgsqlParameter { Value = e.Completed });
        p.Add(new NpgsqlParameter { Value = e.Previous });
        p.Add(new NpgsqlParameter { Value = e.At.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = e.Role });
        p.Add(new NpgsqlParameter { Value = e.Person });
        p.Add(new NpgsqlParameter { Value = (object?)e.Fingerprint ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)e.LastReportAt?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = (object?)e.DoneAt?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = ReportLogBody.Of(e), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return command;
    }

    private async Task<IReadOnlyList<ReportLogEntry>> Query(string sql, params object[] args)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        return await Query(connection, null, sql, args);
    }

    private async Task<IReadOnlyList<ReportLogEntry>> Query(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var a in args) command.Parameters.Add(new NpgsqlParameter { Value = a });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<ReportLogEntry>();
        while (await reader.ReadAsync()) rows.Add(Read(reader));
        return rows;
    }

    /// <summary>Instants come back in the plan's own offset, as the grains wrote them.</summary>
    private ReportLogEntry Read(NpgsqlDataReader r)
    {
        var offset = _catalog.Find(r.GetString(0))?.Plan.Deadline.Offset ?? TimeSpan.Zero;
        DateTimeOffset? At(int i) => r.IsDBNull(i) ? null : new DateTimeOffset(r.GetDateTime(i), TimeSpan.Zero).ToOffset(offset);
        var body = ReportLogBody.Parse(r.GetString(17));
        return new ReportLogEntry(r.GetString(0), r.GetString(2), WireNames.Parse<LogKind>(r.GetString(3)), r.IsDBNull(4) ? null : r.GetString(4),
            r.GetString(5), r.GetString(6), r.GetString(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), At(11)!.Value,
            r.GetString(12), r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14), body.Note, body.Evidence, body.Correction,
            body.Reason, body.Milestones, At(15), At(16), body.Answer, body.SignOff) { Seq = r.GetInt64(1) };
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private sealed record Pending(ReportLogEntry Entry, TaskCompletionSource<AppendResult> Done, ActivityContext? Caller);
}
