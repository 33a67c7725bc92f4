using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Minsheng.Exports;

/// <summary>
/// Writes tables as one workbook with the Open XML SDK, a sheet per table: row 1 the title (merged across the table,
/// bold 14 pt, centred), row 2 the headers (bold, grey, centred, wrapped), data from row 3 (numbers as numbers, all
/// other text as text, status cells filled), thin borders around every header and data cell, the two top rows frozen.
/// Column widths are computed here from the cells' text (a CJK character counts two, any other one), so nothing
/// measures fonts and no graphics library is needed.
/// </summary>
public static class XlsxWriter
{
    /// <summary>The first data row of every sheet.</summary>
    public const int FirstDataRow = 3;

    /// <summary>Widths in Excel's character units: never narrower or wider than this, whatever the content.</summary>
    public const double MinColumnWidth = 6, MaxColumnWidth = 60;

    private const uint TitleStyle = 1, HeaderStyle = 2, DataStyle = 3, FirstFillStyle = 4;
    private const string HeaderFill = "#D9D9D9";

    public static void Write(IReadOnlyList<ExportTable> tables, Stream output)
    {
        // The package is built in memory (System.IO.Packaging wants a seekable stream), then copied out.
        using var buffer = new MemoryStream();
        Build(tables, buffer);
        buffer.Position = 0;
        buffer.CopyTo(output);
    }

    public static byte[] ToBytes(IReadOnlyList<ExportTable> tables)
    {
        using var stream = new MemoryStream();
        Build(tables, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// The width of a column holding these texts: the widest text in display columns plus a margin of two, within
    /// <see cref="MinColumnWidth"/> and <see cref="MaxColumnWidth"/>.
    /// </summary>
    public static double ColumnWidth(IEnumerable<string> texts) =>
        Math.Clamp(texts.Select(DisplayWidth).DefaultIfEmpty(0).Max() + 2, MinColumnWidth, MaxColumnWidth);

    /// <summary>Display columns of a text: East Asian wide and full-width characters count two, others one.</summary>
    public static int DisplayWidth(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes()) width += IsWide(rune.Value) ? 2 : 1;
        return width;
    }

    private static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F      // Hangul Jamo initials
        or >= 0x2E80 and <= 0x303E        // CJK radicals, symbols and punctuation (、。「」)
        or >= 0x3041 and <= 0x33FF        // kana, bopomofo, CJK compatibility
        or >= 0x3400 and <= 0x4DBF        // CJK extension A
        or >= 0x4E00 and <= 0x9FFF        // CJK unified ideographs
        or >= 0xA000 and <= 0xA4CF        // Yi
        or >= 0xAC00 and <= 0xD7A3        // Hangul syllables
        or >= 0xF900 and <= 0xFAFF        // CJK compatibility ideographs
        or >= 0xFE30 and <= 0xFE4F        // CJK compatibility forms
        or >= 0xFF00 and <= 0xFF60        // full-width forms (（），：)
        or >= 0xFFE0 and <= 0xFFE6
        or >= 0x20000 and <= 0x3FFFD;     // CJK extensions B and later

    private static void Build(IReadOnlyList<ExportTable> tables, Stream stream)
    {
        CheckSheetNames(tables);
        // Every distinct status fill gets one fill and one cell format, in order of first appearance.
        var fills = tables.SelectMany(t => t.Rows).SelectMany(r => r).Select(c => c.Fill).OfType<string>()
            .Select(Argb).Distinct(StringComparer.Ordinal).ToList();
        var fillStyles = fills.Select((argb, i) => (argb, style: FirstFillStyle + (uint)i)).ToDictionary(p => p.argb, p => p.style, StringComparer.Ordinal);
        var strings = new SharedStrings();

        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var stylesPart = workbookPart.AddNewPart<WorkbookStylesPart>();
            stylesPart.Stylesheet = Styles(fills);
            var sheets = new Sheets();
            for (var i = 0; i < tables.Count; i++)
            {
                var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
                sheetPart.Worksheet = Sheet(tables[i], strings, fillStyles);
                sheets.Append(new Sheet { Name = tables[i].SheetName, SheetId = (uint)(i + 1), Id = workbookPart.GetIdOfPart(sheetPart) });
            }
            workbookPart.AddNewPart<SharedStringTablePart>().SharedStringTable = strings.Table();
            workbookPart.Workbook = new Workbook(new BookViews(new WorkbookView()), sheets);
        }
    }

    private static Worksheet Sheet(ExportTable table, SharedStrings strings, IReadOnlyDictionary<string, uint> fillStyles)
    {
        var columns = Math.Max(1, table.Headers.Count);
        var lastRow = Math.Max(2, FirstDataRow + table.Rows.Count - 1);
        var data = new SheetData();

        var title = new Row { RowIndex = 1U, Height = 21, CustomHeight = true };
        title.Append(TextCell(1, 1, table.Title, TitleStyle, strings));
        for (var c = 2; c <= columns; c++) title.Append(EmptyCell(1, c, TitleStyle));
        data.Append(title);

        var headers = new Row { RowIndex = 2U };
        for (var c = 1; c <= columns; c++) headers.Append(TextCell(2, c, c <= table.Headers.Count ? table.Headers[c - 1] : "", HeaderStyle, strings));
        data.Append(headers);

        for (var r = 0; r < table.Rows.Count; r++)
        {
            var index = FirstDataRow + r;
            var cells = table.Rows[r];
            var row = new Row { RowIndex = (uint)index };
            // Every cell of the table's width is written, so the borders close even where a row is short.
            for (var c = 1; c <= Math.Max(columns, cells.Count); c++)
            {
                if (c > cells.Count)
                {
                    row.Append(EmptyCell(index, c, DataStyle));
                    continue;
                }
                var value = cells[c - 1];
                var style = value.Fill is { } fill ? fillStyles[Argb(fill)] : DataStyle;
                row.Append(value.Number is { } number ? NumberCell(index, c, number, style) : TextCell(index, c, value.Text, style, strings));
            }
            data.Append(row);
        }

        var widths = new Columns();
        for (var c = 1; c <= columns; c++)
        {
            var texts = table.Rows.Select(row => c <= row.Count ? row[c - 1].Text : "")
                .Append(c <= table.Headers.Count ? table.Headers[c - 1] : "");
            widths.Append(new Column { Min = (uint)c, Max = (uint)c, Width = ColumnWidth(texts), CustomWidth = true });
        }

        var worksheet = new Worksheet(
            new SheetDimension { Reference = $"A1:{Reference(lastRow, Math.Max(columns, table.Rows.Select(r => r.Count).DefaultIfEmpty(0).Max()))}" },
            new SheetViews(new SheetView(
                new Pane { VerticalSplit = 2, TopLeftCell = Reference(FirstDataRow, 1), ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                new Selection { Pane = PaneValues.BottomLeft, ActiveCell = Reference(FirstDataRow, 1), SequenceOfReferences = new ListValue<StringValue> { InnerText = Reference(FirstDataRow, 1) } })
            { TabSelected = false, WorkbookViewId = 0U }),
            new SheetFormatProperties { DefaultRowHeight = 15 },
            widths,
            data);
        if (columns > 1)
            worksheet.Append(new MergeCells(new MergeCell { Reference = $"A1:{Reference(1, columns)}" }) { Count = 1U });
        return worksheet;
    }

    private static Cell TextCell(int row, int column, string text, uint style, SharedStrings strings) =>
        text.Length == 0
            ? EmptyCell(row, column, style)
            : new Cell(new CellValue(strings.Index(text).ToString(CultureInfo.InvariantCulture)))
            {
                CellReference = Reference(row, column), DataType = CellValues.SharedString, StyleIndex = style,
            };

    private static Cell NumberCell(int row, int column, decimal number, uint style) =>
        new(new CellValue(number.ToString(CultureInfo.InvariantCulture))) { CellReference = Reference(row, column), StyleIndex = style };

    private static Cell EmptyCell(int row, int column, uint style) => new() { CellReference = Reference(row, column), StyleIndex = style };

    /// <summary>A1-style reference: column 1 is A, 27 is AA.</summary>
    public static string Reference(int row, int column)
    {
        var letters = "";
        for (var c = column; c > 0; c = (c - 1) / 26) letters = (char)('A' + (c - 1) % 26) + letters;
        return letters + row.ToString(CultureInfo.InvariantCulture);
    }

    private static Stylesheet Styles(IReadOnlyList<string> statusFills)
    {
        static Font Font(double size, bool bold)
        {
            var font = new Font();
            if (bold) font.Append(new Bold());
            font.Append(new FontSize { Val = size }, new FontName { Val = "Calibri" }, new FontFamilyNumbering { Val = 2 });
            return font;
        }
        static Fill Solid(string argb) => new(new PatternFill(new ForegroundColor { Rgb = argb }, new BackgroundColor { Indexed = 64U }) { PatternType = PatternValues.Solid });
        static Border Thin() => new(
            new LeftBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
            new RightBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
            new TopBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
            new BottomBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
            new DiagonalBorder());

        var fills = new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            Solid(Argb(HeaderFill)));
        foreach (var argb in statusFills) fills.Append(Solid(argb));
        fills.Count = (uint)fills.ChildElements.Count;

        var centred = new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center };
        var formats = new CellFormats(
            new CellFormat { FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, NumberFormatId = 0U },
            new CellFormat((Alignment)centred.CloneNode(true)) { FontId = 1U, FillId = 0U, BorderId = 0U, FormatId = 0U, NumberFormatId = 0U, ApplyFont = true, ApplyAlignment = true },
            new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true })
            { FontId = 2U, FillId = 2U, BorderId = 1U, FormatId = 0U, NumberFormatId = 0U, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat { FontId = 0U, FillId = 0U, BorderId = 1U, FormatId = 0U, NumberFormatId = 0U, ApplyBorder = true });
        for (var i = 0; i < statusFills.Count; i++)
            formats.Append(new CellFormat { FontId = 0U, FillId = 3U + (uint)i, BorderId = 1U, FormatId = 0U, NumberFormatId = 0U, ApplyFill = true, ApplyBorder = true });
        formats.Count = (uint)formats.ChildElements.Count;

        return new Stylesheet(
            new Fonts(Font(11, false), Font(14, true), Font(11, true)) { Count = 3U },
            fills,
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), Thin()) { Count = 2U },
            new CellStyleFormats(new CellFormat { FontId = 0U, FillId = 0U, BorderId = 0U, NumberFormatId = 0U }) { Count = 1U },
            formats,
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0U, BuiltinId = 0U }) { Count = 1U });
    }

    /// <summary>"#RRGGBB" as the opaque ARGB hex that SpreadsheetML colours carry.</summary>
    private static string Argb(string html)
    {
        var hex = html.TrimStart('#');
        if (hex.Length != 6 || !hex.All(char.IsAsciiHexDigit))
            throw new ArgumentException($"A fill is #RRGGBB, not \"{html}\".", nameof(html));
        return "FF" + hex.ToUpperInvariant();
    }

    /// <summary>Excel's rules for sheet names: 1–31 characters, none of : \ / ? * [ ], no leading or trailing apostrophe, unique ignoring case.</summary>
    private static void CheckSheetNames(IReadOnlyList<ExportTable> tables)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in tables.Select(t => t.SheetName))
        {
            if (name.Length is 0 or > 31 || name.IndexOfAny([':', '\\', '/', '?', '*', '[', ']']) >= 0 || name.StartsWith('\'') || name.EndsWith('\''))
                throw new ArgumentException($"\"{name}\" is not a valid sheet name.", nameof(tables));
            if (!seen.Add(name)) throw new ArgumentException($"Two sheets are named \"{name}\".", nameof(tables));
        }
    }

    /// <summary>The workbook's shared string table: each distinct text once, cells refer to it by index.</summary>
    private sealed class SharedStrings
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<string> _texts = [];
        private int _references;

        public int Index(string text)
        {
            _references++;
            if (_index.TryGetValue(text, out var i)) return i;
            _index[text] = _texts.Count;
            _texts.Add(text);
            return _texts.Count - 1;
        }

        public SharedStringTable Table()
        {
            var table = new SharedStringTable { Count = (uint)_references, UniqueCount = (uint)_texts.Count };
            foreach (var text in _texts)
            {
                var t = new Text(text);
                // Leading or trailing spaces and line breaks survive only with xml:space="preserve".
                if (text.Trim() != text || text.Contains('\n')) t.Space = SpaceProcessingModeValues.Preserve;
                table.Append(new SharedStringItem(t));
            }
            return table;
        }
    }
}
