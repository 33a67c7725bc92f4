using Minsheng.Domain.Import;

namespace Minsheng.Domain.Tests.Import;

public sealed class NumberParserTests
{
    [Theory]
    [InlineData("1.6万名", 16000, "名")]
    [InlineData("2万人", 20000, "人")]
    [InlineData("1所", 1, "所")]
    [InlineData("1135户", 1135, "户")]
    [InlineData("286\n\n户", 286, "户")] // the unit wrapped onto its own paragraph
    [InlineData("286\n户", 286, "户")]
    public void Reads_a_cell_with_one_quantity(string cell, long value, string unit) =>
        Assert.Equal([new Quantity(value, unit)], NumberParser.ParseCell(cell));

    [Fact]
    public void Reads_two_numbers_with_the_unit_written_once()
    {
        Assert.Equal([new Quantity(4805, ""), new Quantity(400, "人")], NumberParser.ParseCell("4805\n\n400人"));
    }

    [Theory]
    [InlineData("--")]
    [InlineData("")]
    [InlineData("—")]
    public void A_dash_or_empty_cell_holds_no_target(string cell) => Assert.Empty(NumberParser.ParseCell(cell));

    [Theory]
    [InlineData("约5个")]
    [InlineData("若干")]
    [InlineData("1.5个")]
    public void Refuses_cells_that_are_not_whole_quantities(string cell) =>
        Assert.Throws<FormatException>(() => NumberParser.ParseCell(cell));

    [Fact]
    public void Finds_the_totals_a_title_states_in_order()
    {
        Assert.Equal(
            [new Quantity(20000, "人"), new Quantity(1500, "人")],
            NumberParser.FindStated("完成社区认知症早期筛查2万人，提供非药物干预指导1500人", ["人"]));
        Assert.Equal([new Quantity(16000, "名")], NumberParser.FindStated("为1.6万名义务教育段学生开展正脊筛查", ["名"]));
    }

    [Fact]
    public void Skips_numbers_in_other_units_and_in_parentheses()
    {
        Assert.Equal([new Quantity(630, "户")], NumberParser.FindStated("完成630户80周岁以上独居老人“安居守护”工程", ["户"]));
        Assert.Equal([new Quantity(6, "所")], NumberParser.FindStated("新增6所“大运河少儿学堂”（街道涉及5所）", ["所"]));
        Assert.Equal([new Quantity(4, "个")], NumberParser.FindStated("打造4个“一老一小”普惠型融合服务点", ["个"]));
    }

    [Theory]
    [InlineData("一", 1)]
    [InlineData("九", 9)]
    [InlineData("十", 10)]
    [InlineData("十二", 12)]
    [InlineData("二十", 20)]
    [InlineData("二十三", 23)]
    [InlineData("3", 3)]
    public void Reads_project_numbers(string text, int expected) => Assert.Equal(expected, NumberParser.ParseProjectNumber(text));

    [Theory]
    [InlineData("")]
    [InlineData("编号")]
    [InlineData("零")]
    [InlineData("十十")]
    public void Refuses_what_is_not_a_project_number(string text) => Assert.Null(NumberParser.ParseProjectNumber(text));
}
