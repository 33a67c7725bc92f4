using Microsoft.Extensions.Logging.Abstractions;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Plans.Generation;
using Minsheng.Persistence.ReportLog;
using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>
/// The generator's bulk year-end log (issue 19): COPY into a fresh schema, every chain whole as the chain's foreign key
/// and the service's own writer demand, each row owned by its street or, for 区本级, the task's lead department, and
/// the rows read back by the service's log as its own.
/// </summary>
public sealed class ReportLogBulkLoadTests : IAsyncLifetime
{
    private const int RowsPerAssignment = 6;
    private TestDatabase _db = null!;
    private readonly IReadOnlyList<Plan> _plans = PlanGenerator.Generate(11, PlanScale.Parse("2")!).ToList();

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Two_generated_plans_load_with_whole_chains_and_the_right_owners()
    {
        // No migration first: the load applies the schema itself.
        var result = await ReportLogBulkLoad.LoadAsync(_db.ConnectionString, _plans, RowsPerAssignment, seed: 11);

        var assignments = _plans.Sum(p => p.Tasks.Sum(t => t.Assignments.Count));
        Assert.Equal(assignments * RowsPerAssignment, result.Rows);
        Assert.Equal(result.Rows, await _db.ScalarAsync<long>("SELECT count(*) FROM minsheng_report_log"));
        Assert.Equal(assignments, await _db.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT DISTINCT plan_id, task_id, unit_id, metric_id FROM minsheng_report_log) c"));

        // Versions 1..n without a gap, each row starting from its predecessor's count, counts and stamps never falling.
        Assert.Equal(0L, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT version, previous, completed, at,
                       lag(version) OVER w AS v0, lag(completed) OVER w AS c0, lag(at) OVER w AS at0
                FROM minsheng_report_log
                WINDOW w AS (PARTITION BY plan_id, task_id, unit_id, metric_id ORDER BY version)) r
            WHERE version <> coalesce(v0, 0) + 1 OR previous <> coalesce(c0, 0) OR completed < previous OR at <= at0
            """));
        // Acceptance order is stamp order, as the service's log has it.
        Assert.Equal(0L, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT at, lag(at) OVER (PARTITION BY plan_id ORDER BY seq) AS at0 FROM minsheng_report_log) r
            WHERE at < at0
            """));

        var owners = await Owners();
        foreach (var plan in _plans)
        foreach (var task in plan.Tasks)
        foreach (var a in task.Assignments)
        {
            var expected = a.UnitId == PlanUnits.District ? (task.LeadDepartment, $"department:{task.LeadDepartment}") : (a.UnitId, $"street:{a.UnitId}");
            Assert.Equal([expected], owners[(plan.Id, task.Id, a.UnitId, a.MetricId)]);
        }
        Assert.Contains(owners.Keys, k => k.Unit == PlanUnits.District);
    }

    [Fact]
    public async Task The_services_log_reads_the_rows_as_its_own_and_a_second_load_is_refused()
    {
        await ReportLogBulkLoad.LoadAsync(_db.ConnectionString, _plans, RowsPerAssignment, seed: 11);
        var plan = new PlanIndex(_plans[0]);
        await using var dataSource = NpgsqlDataSource.Create(_db.ConnectionString);
        await using var log = new PostgresReportLog(dataSource, new PlanCatalog(_plans), NullLogger<PostgresReportLog>.Instance);

        var latest = await log.ReadLatest(plan.Id, plan.AllAssignments.Select(a => a.Key).ToList());

        Assert.Equal(plan.AllAssignments.Count, latest.Count);
        Assert.All(latest, row => Assert.Equal(RowsPerAssignment, row.Version));
        Assert.All(latest, row => Assert.Equal(row.At, row.LastReportAt));
        var first = latest[0];
        var replayed = await log.FindReport(plan.Id, first.ReportId!);
        Assert.Equal(first.Answer, replayed!.Answer);
        Assert.Equal(first.Completed, first.Answer!.Completed);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ReportLogBulkLoad.LoadAsync(_db.ConnectionString, _plans, RowsPerAssignment, seed: 11));
    }

    private async Task<Dictionary<(string Plan, string Task, string Unit, string Metric), List<(string, string)>>> Owners()
    {
        await using var connection = await _db.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT plan_id, task_id, unit_id, metric_id, owner_id, role FROM minsheng_report_log", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var owners = new Dictionary<(string, string, string, string), List<(string, string)>>();
        while (await reader.ReadAsync())
        {
            var key = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            if (!owners.TryGetValue(key, out var list)) owners[key] = list = [];
            list.Add((reader.GetString(4), reader.GetString(5)));
        }
        return owners;
    }
}
