namespace Minsheng.Exports.Tests;

public sealed class CsvWriterTests
{
    [Fact]
    public void Quotes_what_rfc_4180_requires_and_round_trips()
    {
        var table = new ExportTable("表", "标题", ["名称", "备注"],
        [
            ["甲,乙", "他说\"好\""],
            ["第一行\r\n第二行", "3/8"],
            ["", "plain"],
        ]);
        var bytes = CsvWriter.ToBytes(table);
        var text = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.Equal("名称,备注\r\n\"甲,乙\",\"他说\"\"好\"\"\"\r\n\"第一行\r\n第二行\",3/8\r\n,plain\r\n", text);
        Assert.Equal(CsvParser.Expected(table), CsvParser.Parse(bytes));
    }
}
