using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;
using Npgsql;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// A burst of one street's reports against a real silo on the real PostgreSQL: the street's grain pipelines them, so
/// several share a group commit (rows written by one transaction share its <c>xmin</c>; an owner that waited for each
/// commit before taking its next report would write one row per transaction). Every answer is its row, each
/// assignment's rows form a gapless chain in version order, and the count the street shows is its last row's.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OwnerPipeliningTests
{
    private const string Plan = "/api/v1/plans/gongshu-2024";
    private const int Reports = 240;

    [Fact]
    public async Task A_burst_to_one_street_shares_commits_and_keeps_every_chain_whole()
    {
        var db = await TestPostgres.CreateDatabase();
        await using var silo = TestSilos.Process(db);
        await silo.Start();
        var plan = await silo.As("office").GetOk(Plan);
        var mine = plan["tasks"]!.AsArray()
            .SelectMany(t => t!["assignments"]!.AsArray().Where(a => a!["unitId"].Str() == "tianshui")
                .Select(a => (Task: t["id"].Str(), Metric: a!["metricId"].Str())))
            .ToList();
        Assert.True(mine.Count >= 5, $"tianshui has {mine.Count} assignments");

        // Corrections are accepted in any order, so the burst is all concurrent and every report must be a 201.
        using var street = silo.As("street:tianshui");
        var answers = await Task.WhenAll(Enumerable.Range(0, Reports).Select(async i =>
        {
            var (task, metric) = mine[i % mine.Count];
            var (status, body) = await street.PostJson($"{Plan}/reports", new
            {
                reportId = $"burst-{i}", taskId = task, unitId = "tianshui", metricId = metric, completed = i,
                correction = true, reason = "核对后更正",
            });
            Assert.True(status == 201, $"burst-{i}: {status} {body}");
            return (Id: $"burst-{i}", Body: body!);
        }));

        var rows = await Rows(db);
        Assert.Equal(Reports, rows.Count);
        // Each 201 is its row: the same version, count and log position.
        var byId = rows.ToDictionary(r => r.ReportId);
        foreach (var (id, body) in answers)
            Assert.Equal((byId[id].Version, byId[id].Completed, byId[id].Seq), (body["version"]!.GetValue<long>(), body["completed"]!.GetValue<long>(), body["position"]!.GetValue<long>()));
        // Per assignment: versions 1..n in log order, each starting from the count before it.
        foreach (var chain in rows.GroupBy(r => (r.Task, r.Metric)))
        {
            var ordered = chain.OrderBy(r => r.Seq).ToList();
            Assert.Equal(Enumerable.Range(1, ordered.Count).Select(v => (long)v), ordered.Select(r => r.Version));
            Assert.Equal(ordered.Select(r => r.Completed).SkipLast(1).Prepend(0L), ordered.Select(r => r.Previous));
        }
        // The rows went through fewer commits than there are rows: reports of one owner shared them.
        var commits = await TestPostgres.Scalar(db, "SELECT count(DISTINCT xmin::text) FROM minsheng_report_log WHERE owner_id = 'tianshui'");
        Assert.True(commits < Reports, $"{Reports} rows in {commits} transactions");

        var view = await silo.As("office").GetOk($"{Plan}/streets/tianshui");
        var shown = view["assignments"]!.AsArray().Select(a => (Task: a!["taskId"].Str(), Metric: a["metricId"].Str(), Completed: a["completed"]!.GetValue<long>()));
        foreach (var chain in rows.GroupBy(r => (r.Task, r.Metric)))
            Assert.Contains((chain.Key.Task, chain.Key.Metric, chain.MaxBy(r => r.Version)!.Completed), shown);
    }

    private sealed record Row(string ReportId, string Task, string Metric, long Version, long Completed, long Previous, long Seq);

    private static async Task<List<Row>> Rows(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT report_id, task_id, metric_id, version, completed, previous, seq FROM minsheng_report_log WHERE owner_id = 'tianshui' AND kind = 'report'",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        return rows;
    }
}
