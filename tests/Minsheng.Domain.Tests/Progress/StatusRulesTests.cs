using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Tests.Supervision;

/// <summary>Statuses on a ten-day plan (2024-01-01 00:00 to 2024-01-11 00:00, +08:00), target 100, tolerance 0.10.</summary>
public sealed class StatusRulesTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly PlanTimeline Timeline = new(
        new DateTimeOffset(2024, 1, 1, 0, 0, 0, Cst), new DateTimeOffset(2024, 1, 11, 0, 0, 0, Cst), new DateTimeOffset(2024, 1, 31, 0, 0, 0, Cst));

    private static DateTimeOffset Day(int day, int hour = 0) => new(2024, 1, day, hour, 0, 0, Cst);

    private static StatusVerdict At(DateTimeOffset now, long completed, DateTimeOffset? doneAt = null, IReadOnlyList<Milestone>? milestones = null) =>
        StatusRules.Evaluate(Timeline, 100, new ProgressFact(completed, 1, null, doneAt, milestones), now, 0.10m);

    [Fact]
    public void Linear_default_allows_exactly_the_tolerance()
    {
        // Halfway (day 6, 00:00) 50 are expected: 40 is 10 behind (= tolerance, on track), 39 is 11 behind (lagging).
        Assert.Equal(AssignmentStatus.OnTrack, At(Day(6), 40).Status);
        Assert.Equal(AssignmentStatus.Lagging, At(Day(6), 39).Status);
        Assert.Equal(AssignmentStatus.OnTrack, At(Day(1), 0).Status);
    }

    [Fact]
    public void Past_the_deadline_not_done_is_overdue_and_done_late_is_marked()
    {
        Assert.Equal(AssignmentStatus.Overdue, At(Day(11, 1), 99).Status);
        Assert.Equal(new StatusVerdict(AssignmentStatus.Done, false), At(Day(12), 100, doneAt: Day(10)));
        Assert.Equal(new StatusVerdict(AssignmentStatus.Done, true), At(Day(12), 120, doneAt: Day(11, 1)));
    }

    [Fact]
    public void Milestones_count_from_the_end_of_their_day()
    {
        Milestone[] schedule = [new(new DateOnly(2024, 1, 3), 30), new(new DateOnly(2024, 1, 10), 100)];
        Assert.Equal(AssignmentStatus.OnTrack, At(Day(3, 12), 0, milestones: schedule).Status); // day 3 not over yet
        Assert.Equal(AssignmentStatus.Lagging, At(Day(4), 19, milestones: schedule).Status);
        Assert.Equal(AssignmentStatus.OnTrack, At(Day(4), 20, milestones: schedule).Status);
    }

    [Fact]
    public void Wire_names_are_the_contracts()
    {
        Assert.Equal("onTrack", AssignmentStatus.OnTrack.WireName());
        Assert.Equal("lagging", AssignmentStatus.Lagging.WireName());
        Assert.Equal("overdue", AssignmentStatus.Overdue.WireName());
        Assert.Equal("done", AssignmentStatus.Done.WireName());
    }
}

/// <summary>The 128-bit integer decision equals the exact rational one over a grid of counts, targets, instants and tolerances.</summary>
public sealed class LaggingArithmeticTests
{
    private static readonly PlanTimeline Timeline = new(
        new DateTimeOffset(2024, 2, 28, 0, 0, 0, TimeSpan.FromHours(8)),
        new DateTimeOffset(2024, 11, 30, 23, 59, 59, TimeSpan.FromHours(8)),
        new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.FromHours(8)));

    [Fact]
    public void Integer_and_rational_decisions_agree()
    {
        var checkedCount = 0;
        foreach (var target in new long[] { 1, 2, 8, 14, 200, 1135, 16000, 6425 })
            foreach (var tolerance in new[] { 0m, 0.05m, 0.1m, 0.10m, 0.125m, 0.3333m })
                for (var day = -2; day <= 280; day += 7)
                    foreach (var share in new[] { 0.0, 0.1, 0.25, 0.5, 0.9, 1.0 })
                    {
                        var now = Timeline.Start.AddDays(day).AddHours(9);
                        var fact = new ProgressFact((long)(target * share), 1, null);
                        Assert.Equal(StatusRules.IsLaggingExact(Timeline, target, fact, now, tolerance),
                            StatusRules.IsLagging(Timeline, target, fact, now, tolerance));
                        checkedCount++;
                    }
        Assert.True(checkedCount > 10_000);
    }

    [Fact]
    public void A_tolerance_with_28_digits_takes_the_exact_path() =>
        Assert.Equal(
            StatusRules.IsLaggingExact(Timeline, 14, new ProgressFact(1, 1, null), Timeline.Start.AddDays(60), 0.1000000000000000000000000001m),
            StatusRules.IsLagging(Timeline, 14, new ProgressFact(1, 1, null), Timeline.Start.AddDays(60), 0.1000000000000000000000000001m));
}
