using Minsheng.Domain;
using Minsheng.Grains.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Minsheng.Persistence.Audit;

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
        command.Parameters.Add(new NpgsqlParameter { Value = e.Action.WireName() });
        command.Parameters.Add(new NpgsqlParameter { Value = e.Outcome.WireName() });
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
}
