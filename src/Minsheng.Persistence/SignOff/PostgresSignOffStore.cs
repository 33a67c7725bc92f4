using System.Text.Json;
using Minsheng.Domain;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.SignOff;
using Minsheng.Grains.SignOff;
using Npgsql;
using NpgsqlTypes;

namespace Minsheng.Persistence.SignOff;

/// <summary>
/// Filings under sign-off in PostgreSQL (<c>minsheng_sign_off</c>, migration 0012). A row still marked pending whose
/// reportId the report log holds is read as approved, with the reviewer the log's row names: the log decides.
/// </summary>
public sealed class PostgresSignOffStore(NpgsqlDataSource dataSource, PlanCatalog catalog) : ISignOffStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The row's state as the report log makes it; for a row the log holds but that is still marked pending, the reviewer
    // and the moment come from the log's row (its body's signOff, written by the approval's append).
    private const string Columns = """
        s.request, s.reporter_role, s.reporter, s.submitted_at,
        CASE WHEN s.state = 'pending' AND l.seq IS NOT NULL THEN 'approved' ELSE s.state END AS state,
        COALESCE(s.reviewer_role, l.body -> 'signOff' ->> 'reviewerRole', l.role),
        COALESCE(s.reviewer, l.body -> 'signOff' ->> 'reviewer', l.person),
        COALESCE(s.reviewed_at, l.at),
        s.return_reason, s.plan_id, s.seq
        FROM minsheng_sign_off s
        LEFT JOIN minsheng_report_log l ON s.state = 'pending' AND l.plan_id = s.plan_id AND l.report_id = s.report_id
        """;

    public async Task<PendingReport?> File(string planId, string ownerId, PendingReport item)
    {
        var r = item.Request;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO minsheng_sign_off (plan_id, report_id, owner_id, task_id, unit_id, metric_id, request, reporter_role, reporter, submitted_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (plan_id, report_id) DO NOTHING
            """);
        Add(command, planId, r.ReportId, ownerId, r.TaskId, r.UnitId, r.MetricId);
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(r, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        Add(command, item.ReporterRole, item.Reporter, item.SubmittedAt.ToUniversalTime());
        return await command.ExecuteNonQueryAsync() == 1 ? null : await Find(planId, r.ReportId);
    }

    public async Task<PendingReport?> Find(string planId, string reportId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} WHERE s.plan_id = $1 AND s.report_id = $2");
        Add(command, planId, reportId);
        return (await Read(command)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<PendingReport>> Waiting(string planId, string ownerId)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.request, s.reporter_role, s.reporter, s.submitted_at, s.state, s.reviewer_role, s.reviewer, s.reviewed_at, s.return_reason, s.plan_id
            FROM minsheng_sign_off s WHERE s.plan_id = $1 AND s.owner_id = $2 AND s.state = 'pending' ORDER BY s.seq
            """);
        Add(command, planId, ownerId);
        return await Read(command);
    }

    public async Task<bool> Reject(string planId, string reportId, string reviewerRole, string reviewer, string reason, DateTimeOffset at)
    {
        // One statement: sent back only while pending and not in the report log (an approval that got there first wins).
        await using var command = dataSource.CreateCommand("""
            UPDATE minsheng_sign_off s SET state = 'rejected', reviewer_role = $3, reviewer = $4, reviewed_at = $5, return_reason = $6
            WHERE s.plan_id = $1 AND s.report_id = $2 AND s.state = 'pending'
              AND NOT EXISTS (SELECT 1 FROM minsheng_report_log l WHERE l.plan_id = $1 AND l.report_id = $2)
            """);
        Add(command, planId, reportId, reviewerRole, reviewer, at.ToUniversalTime(), reason);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task MarkApproved(string planId, string reportId, string reviewerRole, string reviewer, DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE minsheng_sign_off SET state = 'approved', reviewer_role = $3, reviewer = $4, reviewed_at = $5
            WHERE plan_id = $1 AND report_id = $2 AND state = 'pending'
            """);
        Add(command, planId, reportId, reviewerRole, reviewer, at.ToUniversalTime());
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<PendingReport>> List(string planId, SignOffQuery query)
    {
        // Pending and approved rows are both read from the rows still marked pending (the log may have counted them);
        // the derived state then filters.
        var stored = query.State switch
        {
            SignOffState.Rejected => "s.state = 'rejected'",
            SignOffState.Pending => "s.state = 'pending'",
            SignOffState.Approved => "s.state IN ('pending', 'approved')",
            _ => "TRUE",
        };
        await using var command = dataSource.CreateCommand($"""
            SELECT * FROM (SELECT {Columns}
              WHERE s.plan_id = $1 AND {stored} AND ($2::text IS NULL OR s.unit_id = $2) AND ($3::text IS NULL OR s.task_id = $3)) AS rows
            WHERE $4::text IS NULL OR rows.state = $4
            ORDER BY rows.seq LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.UnitId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.TaskId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = query.State is { } s ? s.WireName() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        return await Read(command);
    }

    private async Task<IReadOnlyList<PendingReport>> Read(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<PendingReport>();
        while (await reader.ReadAsync())
        {
            var offset = catalog.Find(reader.GetString(9))?.Plan.Deadline.Offset ?? TimeSpan.Zero;
            DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetDateTime(i), TimeSpan.Zero).ToOffset(offset);
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            rows.Add(new PendingReport(JsonSerializer.Deserialize<ReportRequest>(reader.GetString(0), Json)!, reader.GetString(1), reader.GetString(2),
                At(3)!.Value, WireNames.Parse<SignOffState>(reader.GetString(4)), Text(6), At(7), Text(8), Text(5)));
        }
        return rows;
    }

    private static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var v in values) command.Parameters.Add(new NpgsqlParameter { Value = v });
    }
}
