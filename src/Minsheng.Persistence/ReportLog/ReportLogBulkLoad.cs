using System.Diagnostics;
using Minsheng.Domain;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Plans.Generation;
using Minsheng.Domain.Progress;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;
using Npgsql;
using NpgsqlTypes;

namespace Minsheng.Persistence.ReportLog;

/// <summary>What a bulk load wrote and how long it took.</summary>
public sealed record BulkLoadResult(int Plans, long Rows, TimeSpan Elapsed)
{
    public double RowsPerSecond => Rows / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// Writes a year-end history (<see cref="YearEndHistory"/>) for generated plans straight into
/// <c>minsheng_report_log</c> with binary COPY, for the scale runs of issue 19 (≈50 rows per assignment, a year's
/// volume, without a year of HTTP). Rows are what the service itself would have written (the owner, role, fingerprint,
/// answer and fact columns as <see cref="PostgresReportLog"/> writes them), so the silo reads them as its own. One COPY
/// per plan: the chain's foreign key (migration 0007) is checked at the end of each COPY statement, over rows that
/// hold versions in order anyway, and a plan's check queue stays small. Loads only into a log that holds none of the
/// plans' rows: a second load would break the reportId and version uniqueness, and a partial one is refused as well.
/// </summary>
public static class ReportLogBulkLoad
{
    /// <summary>Who the rows name as the person who reported.</summary>
    public const string Person = "generator";

    private const string Copy = """
        COPY minsheng_report_log (plan_id, owner_id, kind, report_id, task_id, unit_id, metric_id, version, completed, previous,
            at, role, person, fingerprint, last_report_at, done_at, body) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>Migrates the schema if needed, then writes the history of every plan, <paramref name="parallel"/> plans at a time.</summary>
    /// <exception cref="InvalidOperationException">The log already holds rows of one of the plans.</exception>
    public static async Task<BulkLoadResult> LoadAsync(string connectionString, IReadOnlyList<Plan> plans, int rowsPerAssignment, int seed,
        int parallel = 2, CancellationToken cancellationToken = default)
    {
        await new SchemaMigrator().MigrateAsync(connectionString, cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await RefuseLoaded(dataSource, plans, cancellationToken);

        var clock = Stopwatch.StartNew();
        long rows = 0;
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
            async (plan, token) => Interlocked.Add(ref rows, await LoadPlan(dataSource, plan, rowsPerAssignment, seed, token)));
        await using (var analyze = dataSource.CreateCommand("ANALYZE minsheng_report_log"))
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        return new BulkLoadResult(plans.Count, rows, clock.Elapsed);
    }

    private static async Task RefuseLoaded(NpgsqlDataSource dataSource, IReadOnlyList<Plan> plans, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT plan_id FROM minsheng_report_log WHERE plan_id = ANY($1) LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter { Value = plans.Select(p => p.Id).ToArray() });
        if (await command.ExecuteScalarAsync(cancellationToken) is string loaded)
            throw new InvalidOperationException($"The report log already holds rows of plan {loaded}; load a history into a log without them.");
    }

    private static async Task<long> LoadPlan(NpgsqlDataSource dataSource, Plan plan, int rowsPerAssignment, int seed, CancellationToken cancellationToken)
    {
        var rows = YearEndHistory.Of(plan, rowsPerAssignment, seed);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var writer = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
        foreach (var row in rows)
        {
            var e = Entry(plan.Id, row);
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(e.PlanId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.OwnerId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.Kind.WireName(), NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.ReportId!, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.TaskId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.UnitId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.MetricId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.Version, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(e.Completed, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(e.Previous, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(e.At.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(e.Role, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.Person, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.Fingerprint!, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.LastReportAt!.Value.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            if (e.DoneAt is { } done) await writer.WriteAsync(done.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            else await writer.WriteNullAsync(cancellationToken);
            await writer.WriteAsync(ReportLogBody.Of(e), NpgsqlDbType.Jsonb, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>The row as the owner would have appended it for a report of this count.</summary>
    internal static ReportLogEntry Entry(string planId, HistoryRow row)
    {
        var (task, assignment) = (row.Task, row.Assignment);
        var reportId = $"gen-{task.Id}-{assignment.UnitId}-{assignment.MetricId}-{row.Version}";
        var request = new ReportRequest(reportId, task.Id, assignment.UnitId, assignment.MetricId, row.Completed, null, [], false, null);
        var role = row.Owner.Kind == OwnerKind.Street ? $"street:{row.Owner.Id}" : $"department:{row.Owner.Id}";
        // The answer's status says done or on track: the generator writes counts, it does not replay the schedule.
        var status = row.Completed >= assignment.Target ? AssignmentStatus.Done : AssignmentStatus.OnTrack;
        var answer = new ReportAnswer(reportId, task.Id, assignment.UnitId, assignment.MetricId, row.Completed, assignment.Target, status,
            row.Version, row.At);
        return new ReportLogEntry(planId, row.Owner.Id, LogKind.Report, reportId, task.Id, assignment.UnitId, assignment.MetricId,
            row.Version, row.Completed, row.Previous, row.At, role, Person, request.Fingerprint(), null, [], false, null, null,
            row.At, row.DoneAt, answer);
    }
}
