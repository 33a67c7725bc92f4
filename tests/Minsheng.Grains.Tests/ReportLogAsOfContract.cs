using Minsheng.Domain.Plans;
using Minsheng.Grains.ReportLog;

namespace Minsheng.Grains.Tests;

/// <summary>
/// <see cref="IReportLog.ReadAsOf"/> as both logs must answer it: the in-memory one here (InMemoryReportLogTests) and
/// PostgreSQL's (Minsheng.Persistence.Tests links this file). As-of views, checkpoints and reviews see a metric's fact as
/// it stood at an instant, the instant itself included, and one plan never sees another's rows.
/// </summary>
public abstract class ReportLogAsOfContract
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(8);
    private static readonly AssignmentKey Count = new("3.1", "hushu", "count");
    private static readonly AssignmentKey Hours = new("3.1", "hushu", "hours");
    private static readonly AssignmentKey District = new("4.2", "district", "count");

    /// <summary>The log under test, empty when a test starts.</summary>
    protected abstract IReportLog Log { get; }

    protected static DateTimeOffset May(int day, int hour = 9, int minute = 0) => new(2024, 5, day, hour, minute, 0, Offset);

    [Fact]
    public async Task A_metric_reads_its_last_row_stamped_by_the_instant_and_the_instant_itself_counts()
    {
        for (var v = 1; v <= 3; v++) await Append(Row("p", Count, v, May(v)));

        await AssertVersion("p", May(1).AddTicks(-10), Count, null);
        await AssertVersion("p", May(1), Count, 1);
        await AssertVersion("p", May(2, 12), Count, 2);
        await AssertVersion("p", May(3).AddTicks(-10), Count, 2);
        await AssertVersion("p", May(3), Count, 3);
        await AssertVersion("p", May(31), Count, 3);

        // The same instant written in another offset is the same instant.
        await AssertVersion("p", May(3).ToUniversalTime(), Count, 3);
        var row = Assert.Single(await Log.ReadAsOf("p", [Count], May(2, 12)));
        Assert.Equal((May(2), 2L, "r-3.1-hushu-count-2"), (row.At, row.Completed, row.ReportId));
    }

    [Fact]
    public async Task A_metric_without_a_row_by_the_instant_is_absent_and_others_are_read_beside_it()
    {
        await Append(Row("p", Count, 1, May(1)));
        await Append(Row("p", Count, 2, May(6)));
        await Append(Row("p", Hours, 1, May(5)));
        await Append(Row("p", District, 1, May(2)));

        var rows = await Log.ReadAsOf("p", [Count, Hours, District, new("9.9", "hushu", "count")], May(3));

        Assert.Equal([(Count, 1L), (District, 1L)], rows.Select(r => (Key(r), r.Version)).OrderBy(x => x.Item1.ToString(), StringComparer.Ordinal));
        Assert.Equal([(Count, 2L), (Hours, 1L)], (await Log.ReadAsOf("p", [Count, Hours], May(6)))
            .Select(r => (Key(r), r.Version)).OrderBy(x => x.Item1.ToString(), StringComparer.Ordinal));
        Assert.Empty(await Log.ReadAsOf("p", [], May(31)));
    }

    [Fact]
    public async Task Each_plan_reads_only_its_own_rows()
    {
        await Append(Row("p", Count, 1, May(1)));
        await Append(Row("p", Count, 2, May(3)));
        await Append(Row("q", Count, 1, May(2)));
        await Append(Row("q", Count, 2, May(2, 10)));
        await Append(Row("q", Count, 3, May(4)));

        await AssertVersion("p", May(2, 12), Count, 1);
        await AssertVersion("q", May(2, 12), Count, 2);
        await AssertVersion("p", May(31), Count, 2);
        await AssertVersion("q", May(31), Count, 3);
        await AssertVersion("other-plan", May(31), Count, null);
    }

    [Fact]
    public async Task Rows_stamped_the_same_instant_stand_by_version_and_a_schedule_change_is_a_row_like_a_report()
    {
        // A frozen simulated clock stamps every report alike until the office moves it.
        for (var v = 1; v <= 4; v++) await Append(Row("p", Count, v, May(2)));
        await Append(Row("p", Count, 5, May(3)) with { Kind = LogKind.Schedule, ReportId = null, Fingerprint = null });

        await AssertVersion("p", May(2), Count, 4);
        var schedule = Assert.Single(await Log.ReadAsOf("p", [Count], May(3)));
        Assert.Equal((5L, LogKind.Schedule), (schedule.Version, schedule.Kind));
    }

    /// <summary>
    /// The documented answer when a system clock steps back between two reports of one metric: the newest row as soon
    /// as it is stamped by the instant, else the row stamped latest by then; both logs alike.
    /// </summary>
    [Fact]
    public async Task A_stamp_that_stepped_back_is_read_as_documented()
    {
        await Append(Row("p", Count, 1, May(2, 10)));
        await Append(Row("p", Count, 2, May(2, 9)));
        await AssertVersion("p", May(2, 9, 30), Count, 2);
        await AssertVersion("p", May(2, 11), Count, 2);

        await Append(Row("p", Count, 3, May(2, 12)));
        await AssertVersion("p", May(2, 8), Count, null);
        await AssertVersion("p", May(2, 9, 30), Count, 2);
        await AssertVersion("p", May(2, 11), Count, 1);
        await AssertVersion("p", May(2, 12), Count, 3);
    }

    [Fact]
    public async Task Rows_stamped_in_a_span_are_each_metrics_rows_after_its_start_up_to_its_end_in_stamp_order()
    {
        for (var v = 1; v <= 4; v++) await Append(Row("p", Count, v, May(v)));
        await Append(Row("p", Hours, 1, May(2, 12)));
        await Append(Row("other", Count, 1, May(2, 12)));

        var rows = await Log.ReadStamped("p", [Count, Hours, District], May(1), May(3));
        Assert.Equal([(Count, 2L), (Count, 3L), (Hours, 1L)], rows.Select(r => (Key(r), r.Version)).OrderBy(r => r.Item1.MetricId).ThenBy(r => r.Version));
        Assert.Empty(await Log.ReadStamped("p", [Count], May(4), May(31)));
        Assert.Empty(await Log.ReadStamped("p", [Count], May(2, 12), May(2, 13)));
    }

    /// <summary>
    /// Facts at many instants at once (a year of checkpoints caught up) are computed incrementally from three reads, and
    /// equal the facts read at each instant alone, stamps that stepped back included: random histories, seed printed.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Facts_at_many_instants_read_incrementally_equal_each_instant_read_alone(int seed)
    {
        var plan = new PlanIndex(Seed with { Id = $"incr-{seed}" });
        var random = new Random(seed);
        var keys = plan.AllAssignments.Select(a => a.Key).Where(k => k.UnitId != "district").Take(12).ToList();
        var stamp = May(1);
        var versions = keys.ToDictionary(k => k, _ => 0L);
        for (var i = 0; i < 120; i++)
        {
            var key = keys[random.Next(keys.Count)];
            // Mostly forward; one in eight steps back (a system clock stepped back, or two silos' clocks apart).
            stamp = stamp.AddMinutes(random.Next(8) == 0 ? -random.Next(1, 600) : random.Next(0, 900));
            await Append(Row(plan.Id, key, ++versions[key], stamp));
        }
        var instants = Enumerable.Range(0, 40).Select(i => May(1).AddMinutes(random.Next(0, 60 * 24 * 40))).Append(May(1)).ToList();
        var together = await Log.FactsAt(plan, instants);
        foreach (var at in instants)
        {
            var alone = await Log.FactsAt(plan, at);
            Assert.Equal(alone.OrderBy(f => f.Key.ToString()).Select(f => (f.Key, f.Value.Version)),
                together[at].OrderBy(f => f.Key.ToString()).Select(f => (f.Key, f.Value.Version)));
        }
    }

    private static readonly Plan Seed = PlanLoader.LoadDirectory(RepoPaths.Seeds).Single(p => p.Id == "gongshu-2024");

    /// <summary>The version of <paramref name="key"/>'s row that stood at <paramref name="at"/> is <paramref name="expected"/> (none: null).</summary>
    private async Task AssertVersion(string planId, DateTimeOffset at, AssignmentKey key, long? expected)
    {
        var rows = await Log.ReadAsOf(planId, [key], at);
        Assert.Equal(expected, Assert.Single(rows.Select(r => (long?)r.Version).DefaultIfEmpty()));
    }

    private async Task Append(ReportLogEntry row) => Assert.Equal(AppendStatus.Appended, (await Log.Append(row)).Status);

    private static AssignmentKey Key(ReportLogEntry r) => new(r.TaskId, r.UnitId, r.MetricId);

    private static ReportLogEntry Row(string planId, AssignmentKey key, long version, DateTimeOffset at) =>
        new(planId, key.UnitId, LogKind.Report, $"r-{key.TaskId}-{key.UnitId}-{key.MetricId}-{version}", key.TaskId, key.UnitId, key.MetricId,
            version, version, version - 1, at, $"street:{key.UnitId}", "张三", "f", null, [], false, null, null, null, null, null);
}
