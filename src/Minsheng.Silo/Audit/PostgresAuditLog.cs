using System.Text.Json.Nodes;
using Minsheng.Grains.Messages;
using Npgsql;
using NpgsqlTypes;

namespace Minsheng.Silo.Audit;

/// <summary>The audit log in PostgreSQL (<c>minsheng_audit_log</c>, created by migration 0004): insert-only.</summary>
public sealed class PostgresAuditLog(NpgsqlDataSource dataSource) : IAuditLog
{
    public async Task Append(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var e = AuditText.Escape(entry);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO minsheng_audit_log (at, actor, action, outcome, status, plan_id, report_id, task_id, unit_id, metric_id, detail, person)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = e.At.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = e.Actor });
        command.Parameters.Add(new NpgsqlParameter { Value = e.Action });
        command.Parameters.Add(new NpgsqlParameter { Value = e.Outcome });
        command.Parameters.Add(new NpgsqlParameter { Value = e.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.PlanId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.ReportId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.TaskId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.UnitId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.MetricId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (e.Detail ?? []).ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Person ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<HistoryEntry>> History(string planId, string taskId, string unitId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT at, actor, report_id, metric_id, detail::text FROM minsheng_audit_log
            WHERE plan_id = $1 AND task_id = $2 AND unit_id = $3 AND action = 'report' AND outcome = 'accepted'
            ORDER BY id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = taskId });
        command.Parameters.Add(new NpgsqlParameter { Value = unitId });
        var list = new List<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var at = reader.GetFieldValue<DateTimeOffset>(0).ToOffset(TimeSpan.FromHours(8));
            list.Add(AuditHistory.ToHistoryEntry(new AuditEntry(at, reader.GetString(1), AuditActions.Report, "accepted", 201, planId,
                reader.GetString(2), taskId, unitId, reader.GetString(3), JsonNode.Parse(reader.GetString(4))!.AsObject())));
        }
        return list;
    }
}
