using Minsheng.Domain.Reviews;

namespace Minsheng.Domain.Tests.Reviews;

public sealed class IsoWeekTests
{
    [Theory]
    [InlineData("2024-W01", "2024-01-01")]
    [InlineData("2024-W23", "2024-06-03")]
    [InlineData("2025-W01", "2024-12-30")] // ISO: the week holding 2025's first Thursday starts in 2024
    [InlineData("2020-W53", "2020-12-28")]
    public void Parses_and_finds_its_monday(string text, string monday)
    {
        Assert.True(IsoWeek.TryParse(text, out var week));
        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), week.Monday);
        Assert.Equal(text, week.ToString());
        Assert.Equal(week, IsoWeek.Of(week.Monday.AddDays(6)));
    }

    [Theory]
    [InlineData("2024-W53")] // 2024 has 52 ISO weeks
    [InlineData("2024-W00")]
    [InlineData("2024-23")]
    [InlineData("2024-w23")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_what_is_not_an_iso_week(string? text) => Assert.False(IsoWeek.TryParse(text, out _));

    [Theory]
    [InlineData("2024-06", "2024-06-01", "2024-06-30")]
    [InlineData("2024-02", "2024-02-01", "2024-02-29")]
    public void Months_parse_with_their_days(string text, string first, string last)
    {
        Assert.True(EvaluationMonth.TryParse(text, out var month));
        Assert.Equal(text, month.ToString());
        Assert.Equal(first, month.FirstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(last, month.LastDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(EvaluationMonth.TryParse("2024-6", out _));
    }
}
