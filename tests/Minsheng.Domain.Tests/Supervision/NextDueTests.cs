using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Tests.Supervision;

/// <summary>
/// The instant a durable schedule wakes a plan next: the first supervision checkpoint or review after an instant. Both
/// are checked against the whole calendar listed out (the slow, obvious answer) at instants all through gongshu-2024's
/// year, and at hand-worked instants of its timeline: 2024-02-28 00:00 to 2024-11-30 23:59:59, final 2024-12-31 23:59:59 (+08:00).
/// </summary>
public sealed class NextDueTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly PlanTimeline Timeline = new(
        new DateTimeOffset(2024, 2, 28, 0, 0, 0, Cst), new DateTimeOffset(2024, 11, 30, 23, 59, 59, Cst), new DateTimeOffset(2024, 12, 31, 23, 59, 59, Cst));

    private static readonly ReviewCalendar Reviews = new(Timeline, new ReviewOptions());

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text);

    [Theory]
    [InlineData("2024-01-01T00:00:00+08:00", "2024-02-28T00:00:00+08:00")] // before the start: the first daily check
    [InlineData("2024-03-03T12:00:00+08:00", "2024-03-04T00:00:00+08:00")] // Sunday noon: Monday's daily check
    [InlineData("2024-03-04T00:00:00+08:00", "2024-03-04T09:00:00+08:00")] // Monday midnight done: the weekly check at nine
    [InlineData("2024-03-04T09:00:00+08:00", "2024-03-05T00:00:00+08:00")]
    [InlineData("2024-10-31T08:59:59+08:00", "2024-10-31T09:00:00+08:00")] // 30 days before the deadline, at nine
    [InlineData("2024-11-30T23:59:59+08:00", "2024-12-01T00:00:00+08:00")] // the deadline check one second after it
    [InlineData("2024-12-31T00:00:00+08:00", null)] // the last daily check has run
    [InlineData("2025-03-01T00:00:00+08:00", null)]
    public void Supervision_wakes_at_the_next_checkpoint(string after, string? expected) =>
        Assert.Equal(expected is null ? null : At(expected), SupervisionCalendar.NextAfter(Timeline, EscalationPolicy.Default, At(after)));

    [Theory]
    [InlineData("2024-01-01T00:00:00+08:00", "2024-02-29T23:59:59+08:00")] // February's evaluation comes before the first Monday
    [InlineData("2024-03-01T00:00:00+08:00", "2024-03-04T09:00:00+08:00")] // the first weekly ranking
    [InlineData("2024-03-30T00:00:00+08:00", "2024-03-31T23:59:59+08:00")] // March ends on a Sunday
    [InlineData("2024-12-30T09:00:00+08:00", "2024-12-31T23:59:59+08:00")] // December's evaluation and the year-end input
    [InlineData("2024-12-31T23:59:59+08:00", null)]
    public void Reviews_wake_at_the_next_publication(string after, string? expected) =>
        Assert.Equal(expected is null ? null : At(expected), Reviews.NextAfter(At(after)));

    [Fact]
    public void Next_checkpoint_is_the_first_of_the_whole_calendar_after_any_instant()
    {
        var far = At("2025-06-01T00:00:00+08:00");
        for (var after = At("2024-02-20T05:00:00+08:00"); after < far; after = after.AddHours(7).AddMinutes(13))
            Assert.Equal(SupervisionCalendar.Between(Timeline, EscalationPolicy.Default, after, far).Select(c => (DateTimeOffset?)c.At).FirstOrDefault(),
                SupervisionCalendar.NextAfter(Timeline, EscalationPolicy.Default, after));
    }

    [Fact]
    public void Next_review_is_the_first_publication_of_the_whole_calendar_after_any_instant()
    {
        var all = Reviews.Weeks().Select(Reviews.PublishedAt)
            .Concat(Reviews.Months().Select(Reviews.EvaluatedAt))
            .Append(Timeline.FinalDeadline)
            .Order().ToList();
        for (var after = At("2024-02-20T05:00:00+08:00"); after < At("2025-02-01T00:00:00+08:00"); after = after.AddHours(7).AddMinutes(13))
        {
            var expected = all.Where(a => a > after).Cast<DateTimeOffset?>().FirstOrDefault();
            Assert.Equal(expected, Reviews.NextAfter(after));
        }
    }
}
