using Minsheng.Domain.Forecasts;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Tests.Forecasts;

/// <summary>
/// Forecasts against hand-worked histories, on gongshu-2024's timeline (start 2024-02-28 00:00+08:00, deadline
/// 2024-11-30 23:59:59+08:00, 276 days and 23:59:59 after the start). "Now" is day 100 (2024-06-07 00:00) unless said;
/// the recent window is 28 days, so its start is day 72.
/// </summary>
public sealed class ForecastRulesTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly PlanTimeline Timeline = new(new DateTimeOffset(2024, 2, 28, 0, 0, 0, Cst),
        new DateTimeOffset(2024, 11, 30, 23, 59, 59, Cst), new DateTimeOffset(2024, 12, 31, 23, 59, 59, Cst));
    private static DateTimeOffset Day(double day) => Timeline.Start.AddDays(day);
    private static readonly DateTimeOffset Now = Day(100);

    private static Forecast Of(long completed, long? windowStart, long target = 100, DateTimeOffset? now = null, DateTimeOffset? doneAt = null) =>
        ForecastRules.Of(new ForecastInput(target, completed, Reported: true, doneAt, windowStart), Timeline, now ?? Now);

    [Fact]
    public void Steady_half_a_unit_a_day_finishes_on_day_200()
    {
        // 50 done by day 100, 36 by day 72: 14 in 28 days = 0.5/day recently and 50 in 100 days overall; 50 to go → 100 days.
        var f = Of(50, 36);
        Assert.Equal(new Forecast(Day(200), Day(200), Day(200), false, ForecastMethod.RecentRate), f);
        Assert.Equal(new DateTimeOffset(2024, 9, 15, 0, 0, 0, Cst), f.ExpectedDoneAt);
    }

    [Fact]
    public void Accelerating_follows_the_recent_pace_and_the_range_spans_both()
    {
        // 28 in the last 28 days (1/day) against 0.5/day overall: 50 to go → 50 days at the recent pace, 100 overall.
        var f = Of(50, 22);
        Assert.Equal(new Forecast(Day(150), Day(150), Day(200), false, ForecastMethod.RecentRate), f);
    }

    [Fact]
    public void Stalled_has_no_expected_date_and_is_at_risk()
    {
        var f = Of(50, 50);
        Assert.Null(f.ExpectedDoneAt);
        Assert.True(f.AtRisk);
        Assert.Equal((Day(200), (DateTimeOffset?)null), (f.Earliest!.Value, f.Latest)); // the overall pace would still finish on day 200
        Assert.Contains("28", f.Reason);
    }

    [Fact]
    public void Done_early_is_done_when_it_was_done()
    {
        var f = Of(120, 80, doneAt: Day(90).AddHours(10));
        Assert.Equal(new Forecast(Day(90).AddHours(10), Day(90).AddHours(10), Day(90).AddHours(10), false, ForecastMethod.Done), f);
    }

    [Fact]
    public void A_correction_downward_counts_as_no_progress_in_the_window()
    {
        var f = Of(40, 50);
        Assert.Null(f.ExpectedDoneAt);
        Assert.True(f.AtRisk);
        Assert.Equal(Day(100) + TimeSpan.FromDays(150), f.Earliest); // 40 in 100 days overall: 60 to go in 150 days
    }

    [Fact]
    public void Too_slow_for_the_deadline_is_at_risk_with_the_exact_date()
    {
        // 6 in the last 28 days: 80 to go → 80 × 28 / 6 = 373 days 8 hours: 2025-06-15 08:00, after the deadline.
        var f = Of(20, 14);
        Assert.Equal(new DateTimeOffset(2025, 6, 15, 8, 0, 0, Cst), f.ExpectedDoneAt);
        Assert.True(f.AtRisk);
        Assert.Equal(ForecastMethod.RecentRate, f.Method);
        // The overall pace (20 in 100 days, 0.2/day) is the slower one: 80 to go in 400 days.
        Assert.Equal((f.ExpectedDoneAt, Day(500)), (f.Earliest, f.Latest));
    }

    [Fact]
    public void A_history_shorter_than_the_window_follows_the_overall_pace()
    {
        var f = Of(10, null, now: Day(20));
        Assert.Equal(new Forecast(Day(200), Day(200), Day(200), false, ForecastMethod.OverallRate), f);
    }

    [Fact]
    public void Too_little_data_gives_no_forecast_and_says_why()
    {
        var none = ForecastRules.Of(new ForecastInput(100, 0, Reported: false, null, null), Timeline, Now);
        Assert.Equal((ForecastMethod.None, false, (DateTimeOffset?)null), (none.Method, none.AtRisk, none.ExpectedDoneAt));
        Assert.Contains("尚无上报", none.Reason);
        var early = Of(5, null, now: Day(10));
        Assert.Equal(ForecastMethod.None, early.Method);
        Assert.Contains("14", early.Reason);
    }

    [Fact]
    public void Rounded_up_to_the_second()
    {
        // 3 in 28 days, 1 to go → 28/3 days = 9 days 8 hours exactly.
        Assert.Equal(Now.AddDays(9).AddHours(8), Of(99, 96).ExpectedDoneAt);
        // 7 in 28 days, 1 to go → 4 days (the slower pace); 99 in 100 days overall, 1 to go: 8,640,000 / 99 = 87,272.7… s → 87,273 s.
        var f = Of(99, 92);
        Assert.Equal((Now.AddSeconds(87_273), Now.AddDays(4)), (f.Earliest!.Value, f.Latest!.Value));
    }

    [Fact]
    public void Parts_finish_with_the_last_and_are_at_risk_with_any()
    {
        var steady = Of(50, 36);
        var fast = Of(50, 22);
        var late = Of(20, 14);
        var none = Forecast.NoData("尚无上报，无法预测");
        var both = ForecastRules.OfParts([steady, fast]);
        Assert.Equal(new Forecast(Day(200), Day(200), Day(200), false, ForecastMethod.LastOfParts), both);
        var withLate = ForecastRules.OfParts([steady, late, none]);
        Assert.Equal((late.ExpectedDoneAt, true, ForecastMethod.LastOfParts), (withLate.ExpectedDoneAt, withLate.AtRisk, withLate.Method));
        Assert.Contains("1 项", withLate.Reason);
        var stalled = ForecastRules.OfParts([steady, Of(50, 50)]);
        Assert.Equal(((DateTimeOffset?)null, true), (stalled.ExpectedDoneAt, stalled.AtRisk));
        Assert.Equal(ForecastMethod.None, ForecastRules.OfParts([none, none]).Method);
        var done = ForecastRules.OfParts([Of(100, 90, doneAt: Day(80)), Of(120, 100, doneAt: Day(95))]);
        Assert.Equal(new Forecast(Day(95), Day(95), Day(95), false, ForecastMethod.Done), done);
    }
}
