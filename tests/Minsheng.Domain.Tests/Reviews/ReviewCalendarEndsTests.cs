using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Tests.Reviews;

/// <summary>
/// Every week and month the calendar can name gets an answer: those far from the plan, at the very ends of the
/// calendar (where an instant would not exist in the plan's offset, or a next month would overflow), are simply not
/// the plan's. The small plan runs 2024-01-01 .. 2024-02-29 (final deadline).
/// </summary>
public sealed class ReviewCalendarEndsTests
{
    private static readonly ReviewCalendar Calendar = new(PlanTimeline.Of(SmallReviewPlan.Small.Plan), new ReviewOptions());

    [Theory]
    [InlineData("9999-12")]
    [InlineData("9999-01")]
    [InlineData("0001-01")]
    [InlineData("2023-12")]
    [InlineData("2024-03")]
    public void Months_outside_the_plan_have_no_evaluation(string text)
    {
        Assert.True(EvaluationMonth.TryParse(text, out var month));
        Assert.False(Calendar.HasEvaluation(month));
    }

    [Theory]
    [InlineData("2024-01")]
    [InlineData("2024-02")]
    public void Months_of_the_plan_have_one(string text)
    {
        Assert.True(EvaluationMonth.TryParse(text, out var month));
        Assert.True(Calendar.HasEvaluation(month));
    }

    [Theory]
    [InlineData("9999-W52")]
    [InlineData("0001-W01")]
    [InlineData("2023-W52")]
    [InlineData("2024-W10")] // Monday 2024-03-04: after the final deadline
    public void Weeks_outside_the_plan_have_no_ranking(string text)
    {
        Assert.True(IsoWeek.TryParse(text, out var week));
        Assert.False(Calendar.HasRanking(week));
    }

    [Theory]
    [InlineData("2024-W01")] // Monday 2024-01-01 09:00, the start's own day and moment
    [InlineData("2024-W09")] // Monday 2024-02-26
    public void Weeks_of_the_plan_have_one(string text)
    {
        Assert.True(IsoWeek.TryParse(text, out var week));
        Assert.True(Calendar.HasRanking(week));
    }

    [Fact]
    public void The_last_month_of_the_calendar_has_its_last_day_and_order()
    {
        Assert.True(EvaluationMonth.TryParse("9999-12", out var last));
        Assert.Equal(new DateOnly(9999, 12, 31), last.LastDay);
        Assert.True(EvaluationMonth.TryParse("0001-01", out var first));
        Assert.True(first < last);
        Assert.True(IsoWeek.TryParse("0001-W01", out var w1) && IsoWeek.TryParse("9999-W52", out var w2) && w1 < w2);
    }
}
