using Minsheng.Domain.Import;

namespace Minsheng.Domain.Tests.Import;

public sealed class WordTableReaderTests
{
    [Fact]
    public void Reads_cells_rows_and_wrapped_paragraphs()
    {
        string[] lines =
        [
            "Caption", "", "\t序号", "\t分管", "", "区领导", "", "\t一", "\t樊  峥", "", "王一平", "\t区民政局", "区教育局",
            "", "\t二", "\t4805", "", "400人", "\t--", "", "", "抄送：not part of the table",
        ];

        var rows = WordTableReader.ReadRows(lines);

        Assert.Equal(3, rows.Count);
        Assert.Equal(["序号", "分管\n区领导"], rows[0]);
        Assert.Equal(["一", "樊  峥\n王一平", "区民政局\n区教育局"], rows[1]);
        Assert.Equal(["二", "4805\n400人", "--"], rows[2]);
    }
}
