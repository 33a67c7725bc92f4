using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;

namespace Minsheng.Exports.Tests;

/// <summary>
/// The workbook itself, whatever the table: valid SpreadsheetML, the title merged over the table, grey headers, the top
/// two rows frozen, widths from the content, text kept as text and numbers as numbers.
/// </summary>
public sealed class XlsxWriterTests
{
    private static readonly DateTimeOffset Reported = new(2024, 5, 30, 10, 0, 0, Gongshu.Cst);

    private static readonly Dictionary<AssignmentKey, ProgressFact> Facts = new()
    {
        [new("3.1", "tianshui", "main")] = new(5, 1, Reported),
        [new("3.1", "shangtang", "main")] = new(14, 1, Reported, Reported),
    };

    private static ExportTable Breakdown() =>
        BreakdownExport.Table(BreakdownInput.From(Gongshu.Plan, Facts, new DateTimeOffset(2024, 6, 3, 9, 0, 0, Gongshu.Cst), 0.10m));

    public static TheoryData<string> Exports() => ["breakdown", "ranking", "evaluation"];

    private static IReadOnlyList<ExportTable> Tables(string export)
    {
        var week = new WeeklyRankingBuilder(Gongshu.Plan, ReviewOptions.Default, StatusRules.DefaultLagTolerance).Build(new IsoWeek(2024, 23), Facts, null);
        return export switch
        {
            "breakdown" => [Breakdown()],
            // The overdue sheet of week 23 is empty: a table with headers and no rows.
            "ranking" => WeeklyRankingExport.Tables(week, Gongshu.Plan),
            _ => [MonthlyEvaluationExport.Table(
                new MonthlyEvaluator(Gongshu.Plan, ReviewOptions.Default, MonthlyEvaluationOptions.Default, StatusRules.DefaultLagTolerance)
                    .Evaluate(new EvaluationMonth(2024, 6), Facts, [week], [], null), Gongshu.Plan)],
        };
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public void Every_export_validates_against_the_Open_XML_schemas(string export)
    {
        var tables = Tables(export);
        var bytes = XlsxWriter.ToBytes(tables);
        Assert.Empty(XlsxBook.ValidationErrors(bytes));
        Assert.Equal(tables.Select(t => t.SheetName), XlsxBook.Open(bytes).SheetNames);
    }

    [Fact]
    public void Title_is_merged_over_the_table_and_the_top_two_rows_are_frozen()
    {
        var book = XlsxBook.Open(XlsxWriter.ToBytes([Breakdown()]));
        var sheet = book.Sheet("任务分解表");
        Assert.Equal(["A1:W1"], sheet.MergedRanges); // 23 columns: A to W
        Assert.Equal(2, sheet.FrozenRows);
        Assert.Equal("#D9D9D9", sheet.Fill(2, 1));
        Assert.Equal("#D9D9D9", sheet.Fill(2, 23));
        Assert.Null(sheet.Fill(1, 1));
        Assert.Null(sheet.Fill(XlsxWriter.FirstDataRow, 1)); // 编号 cells carry no status
    }

    [Fact]
    public void Widths_follow_the_content_counting_Chinese_characters_double()
    {
        Assert.Equal(4, XlsxWriter.DisplayWidth("天水"));
        Assert.Equal(3, XlsxWriter.DisplayWidth("5/8"));
        Assert.Equal(10, XlsxWriter.DisplayWidth("“幼有善育”")); // curly quotes are narrow in the Latin font
        Assert.Equal(8, XlsxWriter.DisplayWidth("（全角）"));
        Assert.Equal(2, XlsxWriter.DisplayWidth("𠀀")); // a CJK extension B character: one rune, two columns

        var sheet = XlsxBook.Open(XlsxWriter.ToBytes([Breakdown()])).Sheet("任务分解表");
        Assert.Equal(XlsxWriter.MinColumnWidth, sheet.Width(1));  // 编号: "10.2" and the header, 4 columns
        Assert.Equal(XlsxWriter.MaxColumnWidth, sheet.Width(3));  // 任务: titles longer than 29 characters
        Assert.Equal(2 + 7, sheet.Width(5));                        // 区本级: "0/16000"
        Assert.Equal(2 + 8, sheet.Width(6));                        // 天水: the legend's "序时推进", wider than "5/8"
    }

    [Fact]
    public void Text_stays_text_and_numbers_stay_numbers()
    {
        var table = new ExportTable("样例", "  标题  ", ["文本", "数"],
        [
            ["3/8", ExportCell.Of(-12.5m)],
            ["=1+1", ExportCell.Of(0)],
            ["0012", ExportCell.Of(0.111111m)],
            [" 前后空格 ", ExportCell.Of(1234567890123m)],
            ["第一行\n第二行"],
            [new ExportCell("滞后", null, StatusColors.Lagging), new ExportCell("逾期", null, StatusColors.Overdue)],
        ]);
        var bytes = XlsxWriter.ToBytes([table]);
        Assert.Empty(XlsxBook.ValidationErrors(bytes));
        var sheet = XlsxBook.Open(bytes).Sheet("样例");

        Assert.Equal("  标题  ", sheet.Text(1, 1));
        Assert.Equal(["3/8", "=1+1", "0012", " 前后空格 ", "第一行\n第二行"], Enumerable.Range(3, 5).Select(r => sheet.Text(r, 1)));
        Assert.All(Enumerable.Range(3, 5), r => Assert.Equal(XlsxKind.Text, sheet.Kind(r, 1)));
        Assert.Equal([-12.5m, 0m, 0.111111m, 1234567890123m], Enumerable.Range(3, 4).Select(r => sheet.Number(r, 2)));
        Assert.Equal(XlsxKind.Empty, sheet.Kind(7, 2)); // the short row is padded with an empty, bordered cell
        Assert.Equal((StatusColors.Lagging, StatusColors.Overdue), (sheet.Fill(8, 1), sheet.Fill(8, 2)));
    }

    [Fact]
    public void A_one_column_table_without_rows_has_no_merge_and_still_validates()
    {
        var bytes = XlsxWriter.ToBytes([new ExportTable("空", "无数据", ["单位"], [])]);
        Assert.Empty(XlsxBook.ValidationErrors(bytes));
        var sheet = XlsxBook.Open(bytes).Sheet("空");
        Assert.Empty(sheet.MergedRanges);
        Assert.Equal(("无数据", "单位", 2), (sheet.Text(1, 1), sheet.Text(2, 1), sheet.RowsWithContent));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("[排名]")]
    [InlineData("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二")]
    public void Names_Excel_refuses_are_refused_here(string name) =>
        Assert.Throws<ArgumentException>(() => XlsxWriter.ToBytes([new ExportTable(name, "t", ["h"], [])]));

    [Fact]
    public void Write_copies_the_same_workbook_to_any_stream()
    {
        var tables = new[] { Breakdown() };
        using var output = new MemoryStream();
        XlsxWriter.Write(tables, output);
        Assert.Equal(XlsxBook.Open(XlsxWriter.ToBytes(tables)).Sheet("任务分解表").Text(1, 1), XlsxBook.Open(output.ToArray()).Sheet("任务分解表").Text(1, 1));
        Assert.Equal("AA3", XlsxWriter.Reference(3, 27));
        Assert.Equal("W1", XlsxWriter.Reference(1, 23));
    }
}
