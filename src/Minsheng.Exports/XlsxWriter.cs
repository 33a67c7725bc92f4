using ClosedXML.Excel;

namespace Minsheng.Exports;

/// <summary>
/// Writes tables as one workbook, a sheet per table: row 1 the title (merged across the table), row 2 the headers,
/// data from row 3, the two top rows frozen. Widths are fixed rather than fitted, because fitting
/// (<c>AdjustToContents</c>) measures text with libgdiplus, which servers here do not have.
/// </summary>
public static class XlsxWriter
{
    /// <summary>The first data row of every sheet.</summary>
    public const int FirstDataRow = 3;

    public static void Write(IReadOnlyList<ExportTable> tables, Stream output)
    {
        using var workbook = new XLWorkbook();
        foreach (var table in tables) AddSheet(workbook, table);
        workbook.SaveAs(output);
    }

    public static byte[] ToBytes(IReadOnlyList<ExportTable> tables)
    {
        using var stream = new MemoryStream();
        Write(tables, stream);
        return stream.ToArray();
    }

    private static void AddSheet(XLWorkbook workbook, ExportTable table)
    {
        var sheet = workbook.Worksheets.Add(table.SheetName);
        var columns = table.Headers.Count;
        var title = sheet.Range(1, 1, 1, columns).Merge();
        SetText(sheet.Cell(1, 1), table.Title);
        title.Style.Font.Bold = true;
        title.Style.Font.FontSize = 14;
        title.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;

        for (var c = 0; c < columns; c++)
        {
            var cell = sheet.Cell(2, c + 1);
            SetText(cell, table.Headers[c]);
            cell.Style.Font.Bold = true;
            cell.Style.Fill.BackgroundColor = XLColor.FromHtml("#D9D9D9");
            cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
            cell.Style.Alignment.WrapText = true;
        }

        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            for (var c = 0; c < row.Count; c++)
            {
                var cell = sheet.Cell(FirstDataRow + r, c + 1);
                var value = row[c];
                if (value.Number is { } number) cell.Value = number;
                else SetText(cell, value.Text);
                if (value.Fill is { } fill) cell.Style.Fill.BackgroundColor = XLColor.FromHtml(fill);
            }
        }

        var used = sheet.Range(2, 1, Math.Max(2, FirstDataRow + table.Rows.Count - 1), columns);
        used.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        used.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        for (var c = 1; c <= columns; c++)
            sheet.Column(c).Width = Math.Clamp(table.Rows.Select(row => c <= row.Count ? row[c - 1].Text.Length : 0)
                .Append(table.Headers[c - 1].Length).Max() * 2 + 2, 6, 60);
        sheet.SheetView.FreezeRows(2);
    }

    /// <summary>
    /// Stores text as text: ClosedXML 0.95's <c>Value</c> setter guesses a type from a string ("3/8" would become the
    /// 8th of March), its <c>SetValue</c> with a string does not.
    /// </summary>
    private static void SetText(IXLCell cell, string text) => cell.SetValue(text);
}
