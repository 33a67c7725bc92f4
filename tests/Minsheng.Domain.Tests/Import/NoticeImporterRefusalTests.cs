namespace Minsheng.Domain.Tests.Import;

/// <summary>A notice that does not add up stops the import, naming the place.</summary>
public sealed class NoticeImporterRefusalTests
{
    [Fact]
    public void A_street_cell_that_breaks_the_stated_total_stops_the_import()
    {
        // 3.1's 天水 cell: 8场 → 9场.
        var message = EditedNotice.Refused("\t区卫健局\n\t--\n\t8场\n", "\t区卫健局\n\t--\n\t9场\n");

        Assert.Equal("task 3.1 metric main: title states 200, district and street cells sum to 201", message);
    }

    [Fact]
    public void A_district_cell_that_breaks_the_stated_total_stops_the_import()
    {
        // 7.1's 区本级 cell: 4所 → 5所.
        var message = EditedNotice.Refused("\t区教育局\n\t4所\n", "\t区教育局\n\t5所\n");

        Assert.Contains("task 7.1 metric main: title states 4", message, StringComparison.Ordinal);
        Assert.Contains("sum to 5", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_second_metric_of_a_cell_is_checked_too()
    {
        var message = EditedNotice.Refused("\t2735\n\n300人", "\t2735\n\n301人");

        Assert.Equal("task 5.2 metric guidance: title states 1500, district and street cells sum to 1501", message);
    }

    [Fact]
    public void Cells_in_several_units_are_refused()
    {
        var message = EditedNotice.Refused("\t1135户", "\t1135个");

        Assert.Contains("task 8.1: the cells use units [个, 户], expected exactly one", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_in_another_unit_than_its_metric_is_refused()
    {
        var message = EditedNotice.Refused("\t2735\n\n300人", "\t2735\n\n300个");

        Assert.Contains("task 5.2 column 大关 metric guidance: “300个” is not in 人", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_cell_is_refused()
    {
        var message = EditedNotice.Refused("\t1229户", "\t约1229户");

        Assert.Contains("task 8.1 column 石桥", message, StringComparison.Ordinal);
        Assert.Contains("约1229户", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_street_missing_from_the_dictionary_is_refused() =>
        Assert.Contains("street “西湖” is not in the import dictionary", EditedNotice.Refused("\t天水\n", "\t西湖\n"), StringComparison.Ordinal);

    [Fact]
    public void A_leader_missing_from_the_dictionary_is_refused() =>
        Assert.Contains("project 5: leader “张三” is not in the import dictionary", EditedNotice.Refused("\t贾元元\n\t区卫健局\n\t区财政局", "\t张三\n\t区卫健局\n\t区财政局"), StringComparison.Ordinal);

    [Fact]
    public void A_title_without_its_total_is_refused()
    {
        var message = EditedNotice.Refused("2.提升10处基层体育设施", "2.提升基层体育设施");

        Assert.Contains("task 2.2: title “提升基层体育设施” states []", message, StringComparison.Ordinal);
    }
}
