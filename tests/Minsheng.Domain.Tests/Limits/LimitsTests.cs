using Minsheng.Domain.Limits;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Tests.Limits;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData('\0')]
    [InlineData('\u0007')]
    [InlineData('\u001b')]
    [InlineData('\u001f')]
    [InlineData('\u007f')]
    [InlineData('\u0085')]
    [InlineData('\u009f')]
    public void Control_characters_are_forbidden(char c)
    {
        Assert.True(TextRules.IsForbidden(c));
        Assert.Equal(2, TextRules.FirstForbidden($"第一{c}批"));
        Assert.Contains($"U+{(int)c:X4}", TextRules.Refusal($"第一{c}批"));
    }

    [Theory]
    [InlineData("第一批\n第二批")]
    [InlineData("a\tb\r\nc")]
    [InlineData("ｆｕｌｌｗｉｄｔｈ ١٢٣ ✓ 😀")]
    public void Line_breaks_tabs_and_other_unicode_are_ordinary_text(string text) => Assert.Null(TextRules.Refusal(text));

    [Fact]
    public void Escaping_keeps_what_was_tried_readable_and_storable() =>
        Assert.Equal("a\\u0000b\\u001Bc\n", TextRules.Escape("a\0b\u001bc\n"));
}

public sealed class InstantWindowTests
{
    private static readonly PlanCatalog Catalog = new(PlanLoader.LoadDirectory(RepoFiles.Seeds));

    [Fact]
    public void The_window_spans_the_plan_widened_by_the_margin()
    {
        var window = InstantWindow.Around(Catalog, 366);
        Assert.Equal(new DateTimeOffset(2023, 2, 27, 0, 0, 0, TimeSpan.FromHours(8)), window.From);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 23, 59, 59, TimeSpan.FromHours(8)), window.To);
        Assert.True(window.Contains(new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.FromHours(8))));
        Assert.False(window.Contains(DateTimeOffset.MaxValue));
        Assert.False(window.Contains(DateTimeOffset.MinValue));
        Assert.False(window.Contains(new DateOnly(9999, 12, 31)));
        Assert.True(window.Contains(new DateOnly(2026, 1, 1)));
        Assert.False(window.Contains(new DateOnly(2026, 1, 2)));
    }
}

public sealed class CaseRulesTests
{
    private static readonly PlanTimeline Timeline = new(
        new DateTimeOffset(2024, 2, 28, 0, 0, 0, TimeSpan.FromHours(8)),
        new DateTimeOffset(2024, 11, 30, 23, 59, 59, TimeSpan.FromHours(8)),
        new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.FromHours(8)));

    private static SupervisionCase Case(params string[] texts) => new("c-1", "4.2", "wulin", CaseKind.Manual, CaseState.Open,
        Timeline.Start, "进度滞后", ["civil-affairs"],
        texts.Select(t => new CaseResponse(t, new DateOnly(2024, 6, 30), "department:civil-affairs", Timeline.Start)).ToList());

    [Theory]
    [InlineData("2024-02-27", "promisedDate")]
    [InlineData("2026-01-02", "promisedDate")]
    [InlineData("0001-01-01", "promisedDate")]
    [InlineData("9999-12-31", "promisedDate")]
    public void Promised_dates_are_bounded(string date, string field) =>
        Assert.Equal(field, CaseRules.CheckResponse(Timeline, Case(), "好", DateOnly.Parse(date), CaseLimits.Default)?.Field);

    [Fact]
    public void The_last_allowed_promise_is_366_days_after_the_final_deadline() =>
        Assert.Null(CaseRules.CheckResponse(Timeline, Case(), "好", new DateOnly(2026, 1, 1), CaseLimits.Default));

    [Fact]
    public void Responses_are_bounded_in_count_and_in_total_characters()
    {
        var limits = new CaseLimits { MaxResponses = 2, MaxResponseCharacters = 10 };
        Assert.Null(CaseRules.CheckResponse(Timeline, Case("一二三"), "四五六七八九十", new DateOnly(2024, 6, 30), limits));
        Assert.Equal(422, CaseRules.CheckResponse(Timeline, Case("一二三"), "四五六七八九十一", new DateOnly(2024, 6, 30), limits)?.Status);
        Assert.Equal(422, CaseRules.CheckResponse(Timeline, Case("一", "二"), "三", new DateOnly(2024, 6, 30), limits)?.Status);
    }
}
