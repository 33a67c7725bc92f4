using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Tests.Supervision;

/// <summary>The checkpoints of gongshu-2024's timeline: 2024-02-28 00:00 to 2024-11-30 23:59:59 (+08:00).</summary>
public sealed class SupervisionCalendarTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly PlanTimeline Timeline = new(
        new DateTimeOffset(2024, 2, 28, 0, 0, 0, Cst), new DateTimeOffset(2024, 11, 30, 23, 59, 59, Cst), new DateTimeOffset(2024, 12, 31, 23, 59, 59, Cst));

    private static IReadOnlyList<Checkpoint> Between(string after, string upTo) =>
        SupervisionCalendar.Between(Timeline, EscalationPolicy.Default, DateTimeOffset.Parse(after), DateTimeOffset.Parse(upTo));

    [Fact]
    public void A_monday_has_its_daily_check_then_the_weekly_check_at_nine()
    {
        // 2024-03-04 is the first Monday after the start (a Wednesday).
        var list = Between("2024-03-03T12:00:00+08:00", "2024-03-04T12:00:00+08:00");
        Assert.Equal(
            [(DateTimeOffset.Parse("2024-03-04T00:00:00+08:00"), CheckpointKind.Daily), (DateTimeOffset.Parse("2024-03-04T09:00:00+08:00"), CheckpointKind.Weekly)],
            list.Select(c => (c.At, c.Kind)));
    }

    [Fact]
    public void Deadline_reminders_come_30_and_7_days_before_at_nine_and_the_deadline_one_second_after_it()
    {
        var near = Between("2024-10-01T00:00:00+08:00", "2024-12-01T00:00:00+08:00")
            .Where(c => c.Kind is CheckpointKind.DeadlineNear or CheckpointKind.Deadline).ToList();
        Assert.Equal(
            [(DateTimeOffset.Parse("2024-10-31T09:00:00+08:00"), 30), (DateTimeOffset.Parse("2024-11-23T09:00:00+08:00"), 7), (DateTimeOffset.Parse("2024-12-01T00:00:00+08:00"), 0)],
            near.Select(c => (c.At, c.DaysBefore)));
    }

    [Fact]
    public void Spans_are_half_open_so_consecutive_steps_see_each_checkpoint_once()
    {
        var whole = Between("2024-02-27T00:00:00+08:00", "2024-12-31T23:59:59+08:00");
        var stepped = new List<Checkpoint>();
        var from = DateTimeOffset.Parse("2024-02-27T00:00:00+08:00");
        for (var to = from.AddHours(61); from < DateTimeOffset.Parse("2024-12-31T23:59:59+08:00"); from = to, to = to.AddHours(61))
            stepped.AddRange(Between(from.ToString("O"), (to < DateTimeOffset.Parse("2024-12-31T23:59:59+08:00") ? to : DateTimeOffset.Parse("2024-12-31T23:59:59+08:00")).ToString("O")));
        Assert.Equal(whole, stepped);
        // Mondays from 2024-03-04 to 2024-12-30: 301 days apart, 43 weeks after the first, so 44.
        Assert.Equal(44, whole.Count(c => c.Kind == CheckpointKind.Weekly));
        Assert.Single(whole, c => c.Kind == CheckpointKind.Deadline);
    }

    [Fact]
    public void Nothing_runs_before_the_plan_starts_or_after_its_final_deadline()
    {
        Assert.Empty(Between("2024-01-01T00:00:00+08:00", "2024-02-27T23:59:59+08:00"));
        Assert.Empty(Between("2025-01-01T00:00:00+08:00", "2026-11-28T00:00:00+08:00"));
    }
}
