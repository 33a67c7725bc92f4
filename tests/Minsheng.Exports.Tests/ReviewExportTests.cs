using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;

namespace Minsheng.Exports.Tests;

/// <summary>
/// The weekly ranking of gongshu-2024's week 23 (天水 finished 3.1, nothing else done) and June's evaluation, as
/// workbooks and CSV. The numbers are those worked by hand in the domain tests.
/// </summary>
public sealed class ReviewExportTests
{
    private static readonly DateTimeOffset Reported = new(2024, 5, 30, 10, 0, 0, Gongshu.Cst);

    private static readonly Dictionary<AssignmentKey, ProgressFact> Facts = new()
    {
        [new("3.1", "tianshui", "main")] = new(8, 1, Reported, Reported),
    };

    private static readonly WeeklyRanking Week23 =
        new WeeklyRankingBuilder(Gongshu.Plan, ReviewOptions.Default, StatusRules.DefaultLagTolerance).Build(new IsoWeek(2024, 23), Facts, null);

    [Fact]
    public void The_ranking_workbook_holds_the_rows_in_rank_order()
    {
        var book = XlsxBook.Open(XlsxWriter.ToBytes(WeeklyRankingExport.Tables(Week23, Gongshu.Plan)));
        Assert.Equal(["排名", "滞后", "逾期", "未报送", "预计逾期"], book.SheetNames);
        var sheet = book.Sheet("排名");
        Assert.Contains("2024-W23", sheet.Text(1, 1));
        Assert.Equal(WeeklyRankingExport.RankingHeaders, Enumerable.Range(1, 9).Select(c => sheet.Text(2, c)));

        // Row 3: 天水 first; 0.111111 of 0.347924 due, 23.6813 points behind: yellow.
        Assert.Equal(["街道", "1", "", "tianshui", "天水"], Enumerable.Range(1, 5).Select(c => sheet.Text(3, c)));
        Assert.Equal(0.111111m, sheet.Number(3, 6));
        Assert.Equal(0.347924m, sheet.Number(3, 7));
        Assert.Equal(23.6813m, sheet.Number(3, 8));
        Assert.Equal("黄", sheet.Text(3, 9));
        Assert.Equal(XlsxKind.Number, sheet.Kind(3, 6));
        // Row 4: the first of 17 streets tied at 0, listed by id; departments follow the 18 streets, from row 21.
        Assert.Equal(("banshan", 2, "红"), (sheet.Text(4, 4), (int)sheet.Number(4, 2), sheet.Text(4, 9)));
        Assert.Equal(("部门", "health", 0.01m), (sheet.Text(21, 1), sheet.Text(21, 4), sheet.Number(21, 6)));

        Assert.Equal(Gongshu.Plan.AllAssignments.Count - 1, book.Sheet("滞后").RowsWithContent - 2);
        var silent = book.Sheet("未报送");
        Assert.Equal(("tianshui", "天水", "4.1、4.2、6.1、6.2、6.3、9.1、10.1、10.2"),
            (silent.Text(3, 1), silent.Text(3, 2), silent.Text(3, 3)));
    }

    [Fact]
    public void The_at_risk_sheet_lists_what_its_pace_takes_past_the_deadline()
    {
        // 上塘 8.1 (target 1,135): 10 by 05-06 09:00 (the window's start), 20 by 06-03 09:00: 10 in 28 days, 1,115 to go
        // → 3,122 days: 2032-12-20 09:00; overall 20 in 96.375 days → 5,372.9 days: 2039-02-18 06:45 (the latest).
        var now = new Dictionary<AssignmentKey, ProgressFact>(Facts) { [new("8.1", "shangtang", "main")] = new(20, 2, Reported, null) };
        var window = new Dictionary<AssignmentKey, ProgressFact> { [new("8.1", "shangtang", "main")] = new(10, 1, Reported.AddDays(-30), null) };
        var week = new WeeklyRankingBuilder(Gongshu.Plan, ReviewOptions.Default, StatusRules.DefaultLagTolerance).Build(new IsoWeek(2024, 23), now, null, window);
        var sheet = XlsxBook.Open(XlsxWriter.ToBytes(WeeklyRankingExport.Tables(week, Gongshu.Plan))).Sheet("预计逾期");
        Assert.Equal(1, sheet.RowsWithContent - 2);
        Assert.Equal(["8.1", "shangtang", "上塘", "main"], new[] { 1, 3, 4, 5 }.Select(c => sheet.Text(3, c)));
        Assert.Equal((1135m, 20m), (sheet.Number(3, 6), sheet.Number(3, 7)));
        Assert.Equal(("2032-12-20", "2032-12-20", "2039-02-18"), (sheet.Text(3, 8), sheet.Text(3, 9), sheet.Text(3, 10)));
    }

    [Fact]
    public void The_ranking_csv_round_trips()
    {
        var table = WeeklyRankingExport.Ranking(Week23, Gongshu.Plan);
        var parsed = CsvParser.Parse(CsvWriter.ToBytes(table));
        Assert.Equal(CsvParser.Expected(table), parsed);
        Assert.Equal(["街道", "1", "", "tianshui", "天水", "0.111111", "0.347924", "23.6813", "黄"], parsed[1]);
        Assert.Equal(1 + 18 + 8, parsed.Count);
    }

    [Fact]
    public void The_evaluation_workbook_and_csv_show_every_part()
    {
        var evaluator = new MonthlyEvaluator(Gongshu.Plan, ReviewOptions.Default, MonthlyEvaluationOptions.Default, StatusRules.DefaultLagTolerance);
        var june = evaluator.Evaluate(new EvaluationMonth(2024, 6), Facts, [Week23], [], null);
        var table = MonthlyEvaluationExport.Table(june, Gongshu.Plan);

        var book = XlsxBook.Open(XlsxWriter.ToBytes([table]));
        var sheet = book.Sheet("月度评估");
        Assert.Contains("2024-06", sheet.Text(1, 1));
        Assert.Equal(MonthlyEvaluationExport.Headers, Enumerable.Range(1, 18).Select(c => sheet.Text(2, c)));
        var first = june.Streets[0];
        Assert.Equal("tianshui", first.Id);
        Assert.Equal(first.Progress, sheet.Number(3, 7));
        Assert.Equal(first.Reporting, sheet.Number(3, 13));
        Assert.Equal(first.Total, sheet.Number(3, 18));
        // 天水 was silent in week 23 (8 tasks without a report): reporting 10 × 0/1 = 0; no case: 20.
        Assert.Equal((0m, 20m), (first.Reporting, first.Cases));

        var parsed = CsvParser.Parse(CsvWriter.ToBytes(table));
        Assert.Equal(CsvParser.Expected(table), parsed);
        Assert.Equal(1 + 18 + 8, parsed.Count);
    }
}
