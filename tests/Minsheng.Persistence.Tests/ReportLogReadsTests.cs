using Microsoft.Extensions.Logging.Abstractions;
using Minsheng.Domain.Plans;
using Minsheng.Grains.ReportLog;
using Minsheng.Persistence.ReportLog;
using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>
/// The reads an owner's activation and a retry make, in PostgreSQL: the latest row of each assignment metric (its
/// current fact) and one reportId by the unique index, plus history pages by position.
/// </summary>
public sealed class ReportLogReadsTests : IAsyncLifetime
{
    private LogDatabase _store = null!;

    private TestDatabase _db => _store.Db;

    private PostgresReportLog _log => _store.Log;

    public async Task InitializeAsync() => _store = await LogDatabase.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Latest_rows_are_each_metrics_newest_version_whatever_its_kind()
    {
        for (var v = 1; v <= 3; v++) await Append(Row($"a{v}", "3.1", "hushu", "count", v));
        await Append(Row(null, "3.1", "hushu", "count", 4) with { Kind = LogKind.Schedule });
        await Append(Row("b1", "3.1", "hushu", "hours", 1));
        await Append(Row("c1", "4.2", "xiaohe", "count", 1));

        var latest = await _log.ReadLatest("p", [new("3.1", "hushu", "count"), new("3.1", "hushu", "hours"), new("9.9", "hushu", "count")]);

        Assert.Equal([(4L, LogKind.Schedule), (1L, LogKind.Report)], latest.Select(r => (r.Version, r.Kind)).OrderByDescending(x => x.Version));
        Assert.Equal(["count", "hours"], latest.Select(r => r.MetricId).Order());
        Assert.Empty(await _log.ReadLatest("p", []));
        Assert.Empty(await _log.ReadLatest("other-plan", [new("3.1", "hushu", "count")]));
    }

    [Fact]
    public async Task A_reportId_is_found_by_its_index_and_a_page_starts_after_a_position()
    {
        var seqs = new List<long>();
        for (var v = 1; v <= 5; v++) seqs.Add(await Append(Row($"r{v}", "3.1", "hushu", "count", v)));

        var found = await _log.FindReport("p", "r3");
        Assert.Equal((3L, seqs[2]), (found!.Version, found.Seq));
        Assert.Null(await _log.FindReport("p", "r9"));
        Assert.Null(await _log.FindReport("other-plan", "r3"));

        Assert.Equal(seqs[2..4], (await _log.ReadAssignment("p", "3.1", "hushu", after: seqs[1], limit: 2)).Select(r => r.Seq));
        Assert.Empty(await _log.ReadAssignment("p", "3.1", "hushu", after: seqs[^1]));
    }

    private async Task<long> Append(ReportLogEntry row)
    {
        var result = await _log.Append(row);
        Assert.Equal(AppendStatus.Appended, result.Status);
        return result.Seq;
    }

    private static ReportLogEntry Row(string? reportId, string taskId, string unitId, string metricId, long version) =>
        new("p", unitId, LogKind.Report, reportId, taskId, unitId, metricId, version, version, version - 1,
            new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.FromHours(8)), $"street:{unitId}", $"street:{unitId}", reportId is null ? null : "f",
            null, [], false, null, null, null, null, null);
}
