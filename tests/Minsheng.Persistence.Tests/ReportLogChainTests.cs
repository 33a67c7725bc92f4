using Microsoft.Extensions.Logging.Abstractions;
using Minsheng.Domain.Plans;
using Minsheng.Grains.ReportLog;
using Minsheng.Persistence.ReportLog;
using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>
/// The database enforces each assignment's chain of versions (migration 0007): a row for version n stands only when
/// version n − 1 of the same (plan, task, unit, metric) is in the log, whatever the writer. Tried with plain SQL (the
/// foreign key) and through the group-commit writer (which refuses only the broken row, not the batch around it). The
/// in-memory log keeps the same chain (Minsheng.Grains.Tests, InMemoryReportLogTests).
/// </summary>
public sealed class ReportLogChainTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(_db.ConnectionString);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Plain_sql_cannot_insert_a_version_whose_predecessor_is_missing()
    {
        await InsertRaw("3.1", "hushu", version: 1);
        await InsertRaw("3.1", "hushu", version: 2);

        var skipped = await Assert.ThrowsAsync<PostgresException>(() => InsertRaw("3.1", "hushu", version: 4));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, skipped.SqlState);
        Assert.Equal("minsheng_report_log_chain", skipped.ConstraintName);

        // A first row must be version 1: version 2 of another assignment has no predecessor either.
        var orphan = await Assert.ThrowsAsync<PostgresException>(() => InsertRaw("3.1", "xiaohe", version: 2));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, orphan.SqlState);

        // The same version in another metric or plan is another chain.
        await InsertRaw("3.1", "xiaohe", version: 1);
        Assert.Equal([1L, 2L], await _db.ColumnAsync<long>(
            "SELECT version FROM minsheng_report_log WHERE unit_id = 'hushu' ORDER BY seq"));
        Assert.Equal(3L, await _db.ScalarAsync<long>("SELECT count(*) FROM minsheng_report_log"));
    }

    [Fact]
    public async Task The_writer_refuses_only_the_row_without_a_predecessor_and_commits_the_rows_beside_it()
    {
        await using var dataSource = NpgsqlDataSource.Create(_db.ConnectionString);
        await using var log = new PostgresReportLog(dataSource, new PlanCatalog([]), NullLogger<PostgresReportLog>.Instance);

        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("r1", "hushu", 1))).Status);

        // Appended together (usually one group commit): a good row, one that skips version 2, one that takes an existing
        // version, and a good first row of another assignment.
        var results = await Task.WhenAll(
            log.Append(Row("r2", "hushu", 2)),
            log.Append(Row("r3", "xiaohe", 3)),
            log.Append(Row("r4", "hushu", 1)),
            log.Append(Row("r5", "shangtang", 1)));

        Assert.Equal(
            [AppendStatus.Appended, AppendStatus.PredecessorMissing, AppendStatus.VersionTaken, AppendStatus.Appended],
            results.Select(r => r.Status));
        Assert.Equal(["r1", "r2", "r5"], await _db.ColumnAsync<string>("SELECT report_id FROM minsheng_report_log ORDER BY seq"));

        // Once its predecessor is in, the same version is accepted.
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("r6", "xiaohe", 1))).Status);
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("r7", "xiaohe", 2))).Status);
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("r3", "xiaohe", 3))).Status);
        Assert.Equal([1L, 2L, 3L], (await log.ReadAssignment("p", "3.1", "xiaohe")).Select(r => r.Version));
    }

    [Fact]
    public async Task The_writer_refuses_a_row_built_on_another_count_than_its_predecessor_holds()
    {
        await using var dataSource = NpgsqlDataSource.Create(_db.ConnectionString);
        await using var log = new PostgresReportLog(dataSource, new PlanCatalog([]), NullLogger<PostgresReportLog>.Instance);
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("c1", "hushu", 1))).Status);

        // Version 2 says it started from 7, but version 1 holds 1: an owner that decided it on a row the log never took.
        var stale = Row("c2", "hushu", 2) with { Previous = 7, Completed = 9 };
        Assert.Equal(AppendStatus.PredecessorMissing, (await log.Append(stale)).Status);
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("c2", "hushu", 2))).Status);
        Assert.Equal([0L, 1L], (await log.ReadAssignment("p", "3.1", "hushu")).Select(r => r.Previous));
    }

    private static ReportLogEntry Row(string reportId, string unitId, long version) =>
        new("p", unitId, LogKind.Report, reportId, "3.1", unitId, "count", version, version, version - 1,
            new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.FromHours(8)), $"street:{unitId}", $"street:{unitId}", "f",
            null, [], false, null, null, null, null, null);

    private async Task InsertRaw(string taskId, string unitId, long version)
    {
        await using var connection = await _db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO minsheng_report_log (plan_id, owner_id, kind, report_id, task_id, unit_id, metric_id, version, completed, previous,
                at, role, person, body)
            VALUES ('p', $1, 'report', $2, $3, $1, 'count', $4, $4, $4 - 1, now(), 'street', 'street', '{}')
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = unitId });
        command.Parameters.Add(new NpgsqlParameter { Value = $"{unitId}-{version}" });
        command.Parameters.Add(new NpgsqlParameter { Value = taskId });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        await command.ExecuteNonQueryAsync();
    }
}
