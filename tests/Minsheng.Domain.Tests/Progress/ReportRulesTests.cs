using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Tests.Progress;

public sealed class ReportRulesTests
{
    private static readonly PlanIndex Plan = new(new Plan(
        "p", "计划", 2024, new DateOnly(2024, 1, 1),
        new DateTimeOffset(2024, 11, 30, 23, 59, 59, TimeSpan.FromHours(8)),
        new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.FromHours(8)),
        [new("a", "甲")], [new("d", "丁局")], [new("L", "领导")],
        [new("1", "项目", "", ["L"], ["d"], [], ["1.1"])],
        [new("1.1", "1", "任务", "d", [new("main", "任务", "个", 10)], [new("district", "main", 4), new("a", "main", 6)])]));

    private static ReportRequest Report(long completed = 1, string taskId = "1.1", string unitId = "a", string metricId = "main",
        string reportId = "r1", string? note = null, IReadOnlyList<string>? evidence = null, bool correction = false, string? reason = null) =>
        new(reportId, taskId, unitId, metricId, completed, note, evidence ?? [], correction, reason);

    [Theory]
    [InlineData("taskId")]
    [InlineData("unitId")]
    [InlineData("metricId")]
    [InlineData("completed")]
    [InlineData("reportId")]
    [InlineData("evidence[0]")]
    [InlineData("note")]
    [InlineData("reason")]
    public void Each_bad_field_is_named(string field)
    {
        var bad = field switch
        {
            "taskId" => Report(taskId: "9.9"),
            "unitId" => Report(unitId: "nowhere"),
            "metricId" => Report(metricId: "other"),
            "completed" => Report(completed: -1),
            "reportId" => Report(reportId: "'; drop table x;--"),
            "evidence[0]" => Report(evidence: ["javascript:alert(1)"]),
            "note" => Report(note: new string('字', 2001)),
            _ => Report(correction: true, reason: " "),
        };
        var refusal = ReportRules.CheckShape(bad, Plan, ReportLimits.Default);
        Assert.NotNull(refusal);
        Assert.Equal(field, refusal.Field);
        Assert.Equal(400, refusal.Status);
    }

    [Fact]
    public void Over_completion_stands_and_only_an_implausible_count_is_a_typing_error()
    {
        // Target 6: over-completion is real (7, 60, 6000 stand); the generous default bound is 1000x the target.
        Assert.Null(ReportRules.CheckShape(Report(completed: 7), Plan, ReportLimits.Default));
        Assert.Null(ReportRules.CheckShape(Report(completed: 6000), Plan, ReportLimits.Default));
        var refusal = ReportRules.CheckShape(Report(completed: 6001), Plan, ReportLimits.Default);
        Assert.Equal("completed", refusal?.Field);
        Assert.Contains("MaxMultipleOfTarget", refusal!.Reason);
        // The bound is configuration.
        Assert.Equal("completed", ReportRules.CheckShape(Report(completed: 61), Plan, new ReportLimits { MaxMultipleOfTarget = 10 })?.Field);
    }

    [Fact]
    public void Lower_count_needs_a_correction()
    {
        var current = new ProgressFact(5, 3, null);
        Assert.Equal(422, ReportRules.CheckAgainst(Report(completed: 4), current)?.Status);
        Assert.Null(ReportRules.CheckAgainst(Report(completed: 4, correction: true, reason: "重复"), current));
        Assert.Null(ReportRules.CheckAgainst(Report(completed: 5), current));
    }

    [Fact]
    public void Apply_bumps_the_version_and_tracks_when_the_target_was_first_reached()
    {
        var t1 = DateTimeOffset.UnixEpoch;
        var t2 = t1.AddDays(1);
        var reached = ReportRules.Apply(ProgressFact.Initial, 6, 6, t1);
        Assert.Equal((6L, 1L, (DateTimeOffset?)t1), (reached.Completed, reached.Version, reached.DoneAt));
        var more = ReportRules.Apply(reached, 6, 8, t2);
        Assert.Equal(t1, more.DoneAt);
        var corrected = ReportRules.Apply(more, 6, 2, t2);
        Assert.Null(corrected.DoneAt);
        Assert.Equal(3, corrected.Version);
    }

    [Fact]
    public void Fingerprint_changes_with_any_field()
    {
        Assert.Equal(Report().Fingerprint(), Report().Fingerprint());
        Assert.NotEqual(Report().Fingerprint(), Report(completed: 2).Fingerprint());
        Assert.NotEqual(Report().Fingerprint(), Report(note: "x").Fingerprint());
    }
}
