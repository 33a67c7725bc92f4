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
        Assert.Equal(["r1", "r2", "r3"], (await log.ReadPlan("p")).Select(r => r.ReportId));
        Assert.Equal([1L, 2L, 3L], (await log.ReadPlan("p")).Select(r => r.Seq));
    }

    private static ReportLogEntry Row(string reportId, string unitId, long version) =>
        new("p", unitId, LogKind.Report, reportId, "3.1", unitId, "count", version, version, version - 1,
            new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.FromHours(8)), $"street:{unitId}", $"street:{unitId}", "f",
            null, [], false, null, null, null, null, null);
}
