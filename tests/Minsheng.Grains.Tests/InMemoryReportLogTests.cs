using Minsheng.Grains.ReportLog;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The embedded default's log keeps the chain the PostgreSQL table enforces with a foreign key: version n of an
/// assignment only after version n − 1 (Minsheng.Persistence.Tests, ReportLogChainTests).
/// </summary>
public sealed class InMemoryReportLogTests
{
    [Fact]
    public async Task A_version_is_appended_only_after_its_predecessor()
    {
        var log = new InMemoryReportLog();
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("r1", "hushu", 1))).Status);
        Assert.Equal(AppendStatus.PredecessorMissing, (await log.Append(Row("r2", "hushu", 3))).Status);
        Assert.Equal(AppendStatus.PredecessorMissing, (await log.Append(Row("r3", "xiaohe", 2))).Status);
        Assert.Equal(AppendStatus.VersionTaken, (await log.Append(Row("r4", "hushu", 1))).Status);
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("r2", "hushu", 2))).Status);
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("r3", "hushu", 3))).Status);
        var rows = new[] { await log.FindAt("p", 1), await log.FindAt("p", 2), await log.FindAt("p", 3) };
        Assert.Equal(["r1", "r2", "r3"], rows.Select(r => r!.ReportId));
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r!.Seq));
        Assert.Null(await log.FindAt("p", 4));
    }

    [Fact]
    public async Task A_version_built_on_another_count_than_its_predecessor_holds_is_refused()
    {
        var log = new InMemoryReportLog();
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("c1", "hushu", 1))).Status);
        // Version 2 says it started from 7, but version 1 holds 1 (a pipelining owner whose earlier row the log never took).
        Assert.Equal(AppendStatus.PredecessorMissing, (await log.Append(Row("c2", "hushu", 2) with { Previous = 7, Completed = 9 })).Status);
        Assert.Equal(AppendStatus.Appended, (await log.Append(Row("c2", "hushu", 2))).Status);
    }

    [Fact]
    public async Task Plans_append_and_read_in_parallel_each_behind_its_own_lock()
    {
        var log = new InMemoryReportLog();
        var plans = Enumerable.Range(0, 8).Select(i => $"p{i}").ToList();
        await Task.WhenAll(plans.Select(plan => Task.Run(async () =>
        {
            for (var v = 1; v <= 200; v++)
            {
                Assert.Equal(AppendStatus.Appended, (await log.Append(Row($"r{v}", "hushu", v) with { PlanId = plan })).Status);
                Assert.Equal(v, Assert.Single(await log.ReadAsOf(plan, [new("3.1", "hushu", "count")], DateTimeOffset.MaxValue)).Version);
            }
        })));
        foreach (var plan in plans) Assert.Equal(200, (await log.FindAt(plan, 200))!.Version);
    }

    private static ReportLogEntry Row(string reportId, string unitId, long version) =>
        new("p", unitId, LogKind.Report, reportId, "3.1", unitId, "count", version, version, version - 1,
            new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.FromHours(8)), $"street:{unitId}", $"street:{unitId}", "f",
            null, [], false, null, null, null, null, null);
}

/// <summary>The as-of reads of the in-memory log, by the contract PostgreSQL's log passes too.</summary>
public sealed class InMemoryReportLogAsOfTests : ReportLogAsOfContract
{
    protected override IReportLog Log { get; } = new InMemoryReportLog();
}
