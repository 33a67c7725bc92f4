using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Tests.Import;

namespace Minsheng.Exports.Tests;

/// <summary>
/// The filled breakdown table for gongshu-2024 as of Monday 2024-06-03 09:00, read back with the Open XML SDK and checked against
/// the notice's attachment 2 as typed by hand in <see cref="ExpectedGongshu2024"/>.
/// </summary>
public sealed class BreakdownExportTests
{
    private static readonly DateTimeOffset AsOf = new(2024, 6, 3, 9, 0, 0, Gongshu.Cst);
    private static readonly DateTimeOffset May = new(2024, 5, 20, 10, 0, 0, Gongshu.Cst);

    // By June 3, 34.8% of the linear schedule is due: 天水 5 of 8 classes is on track, 上塘 14 of 14 is done,
    // 长庆 screened all 4805 (5.2 screening); everything else is at 0, lagging.
    private static readonly Dictionary<AssignmentKey, ProgressFact> Facts = new()
    {
        [new("3.1", "tianshui", "main")] = new(5, 1, May),
        [new("3.1", "shangtang", "main")] = new(14, 1, May, May),
        [new("5.2", "changqing", "screening")] = new(4805, 1, May, May),
    };

    private static readonly ExportTable Table =
        BreakdownExport.Table(BreakdownInput.From(Gongshu.Plan, Facts, AsOf, 0.10m));

    private static XlsxBook Open() => XlsxBook.Open(XlsxWriter.ToBytes([Table]));

    /// <summary>The sheet row of a task metric: rows follow attachment 2's order, from row 3.</summary>
    private static int RowOf(string taskId, string metricId = "main") =>
        XlsxWriter.FirstDataRow + ExpectedGongshu2024.Rows(ExpectedGongshu2024.Cells).ToList().FindIndex(f => f[0] == taskId && f[1] == metricId);

    /// <summary>The sheet column of a unit: 编号 项目 任务 牵头单位, then 区本级 (E) and the streets in header order.</summary>
    private static int ColumnOf(string unitId) => 5 + Array.IndexOf(ExpectedGongshu2024.Columns, unitId);

    [Fact]
    public void Headers_are_those_of_attachment_2()
    {
        var sheet = Open().Sheet("任务分解表");
        Assert.StartsWith("2024年拱墅区政府民生实事项目任务分解表", sheet.Text(1, 1));
        Assert.Contains("截至 2024-06-03 09:00", sheet.Text(1, 1));
        Assert.Equal(["编号", "项目", "任务", "牵头单位", "区本级", "天水", "上塘"], Enumerable.Range(1, 7).Select(c => sheet.Text(2, c)));
        Assert.Equal("大关", sheet.Text(2, 23));
        Assert.Equal(23, Table.Headers.Count);
    }

    [Fact]
    public void A_dozen_cells_spot_checked_against_the_notice()
    {
        var sheet = Open().Sheet("任务分解表");
        string At(string task, string unit, string metric = "main") => sheet.Text(RowOf(task, metric), ColumnOf(unit));

        Assert.Equal("5/8", At("3.1", "tianshui"));
        Assert.Equal(XlsxKind.Text, sheet.Kind(RowOf("3.1"), ColumnOf("tianshui"))); // not the 8th of March
        Assert.Equal("14/14", At("3.1", "shangtang"));
        Assert.Equal("0/16000", At("3.2", "district"));   // 3.2 is district-only: 1.6万名
        Assert.Equal("", At("3.2", "tianshui"));
        Assert.Equal("", At("1.1", "district"));          // 1.1 has no district target
        Assert.Equal("0/1", At("1.2", "district"));
        Assert.Equal("0/2", At("1.2", "xiangfu"));
        Assert.Equal("4805/4805", At("5.2", "changqing", "screening"));
        Assert.Equal("0/400", At("5.2", "changqing", "guidance"));
        Assert.Equal("0/1229", At("8.1", "shiqiao"));
        Assert.Equal("0/105", At("4.2", "mishixiang"));
        Assert.Equal("0/1", At("6.1", "hemu"));

        Assert.Equal("3.1", sheet.Text(RowOf("3.1"), 1));
        Assert.Equal("举办200场养育照护技能课堂", sheet.Text(RowOf("3.1"), 3));
        Assert.Equal("区卫健局", sheet.Text(RowOf("3.1"), 4));
        Assert.Equal("“幼有善育”成长守护项目", sheet.Text(RowOf("3.1"), 2));
    }

    [Fact]
    public void Every_target_matches_the_hand_typed_attachment()
    {
        var sheet = Open().Sheet("任务分解表");
        var rows = ExpectedGongshu2024.Rows(ExpectedGongshu2024.Cells).ToList();
        Assert.Equal(rows.Count + 1, Table.Rows.Count); // one row per task metric, then the legend
        foreach (var fields in rows)
        {
            for (var i = 0; i < ExpectedGongshu2024.Columns.Length; i++)
            {
                var text = sheet.Text(RowOf(fields[0], fields[1]), ColumnOf(ExpectedGongshu2024.Columns[i]));
                var expected = fields[4 + i] == "-" ? "" : fields[4 + i];
                Assert.Equal(expected, text.Length == 0 ? "" : text[(text.IndexOf('/') + 1)..]);
            }
        }
    }

    [Fact]
    public void Cells_are_filled_with_their_status_colour()
    {
        var sheet = Open().Sheet("任务分解表");
        string? Fill(string task, string unit, string metric = "main") => sheet.Fill(RowOf(task, metric), ColumnOf(unit));

        Assert.Equal(StatusColors.OnTrack, Fill("3.1", "tianshui"));
        Assert.Equal(StatusColors.Done, Fill("3.1", "shangtang"));
        Assert.Equal(StatusColors.Done, Fill("5.2", "changqing", "screening"));
        Assert.Equal(StatusColors.Lagging, Fill("5.2", "changqing", "guidance"));
        Assert.Equal(StatusColors.Lagging, Fill("3.2", "district"));

        var overdue = BreakdownExport.Table(BreakdownInput.From(Gongshu.Plan, Facts, new DateTimeOffset(2024, 12, 2, 9, 0, 0, Gongshu.Cst), 0.10m));
        Assert.Equal(StatusColors.Overdue, overdue.Rows[RowOf("3.1") - XlsxWriter.FirstDataRow][ColumnOf("tianshui") - 1].Fill);
        Assert.Equal(StatusColors.Done, overdue.Rows[RowOf("3.1") - XlsxWriter.FirstDataRow][ColumnOf("shangtang") - 1].Fill);
    }

    [Fact]
    public void The_csv_round_trips()
    {
        var parsed = CsvParser.Parse(CsvWriter.ToBytes(Table));
        Assert.Equal(CsvParser.Expected(Table), parsed);
        Assert.Equal("5/8", parsed[RowOf("3.1") - XlsxWriter.FirstDataRow + 1][ColumnOf("tianshui") - 1]);
    }
}
