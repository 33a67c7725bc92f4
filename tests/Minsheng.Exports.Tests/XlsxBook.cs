using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

namespace Minsheng.Exports.Tests;

/// <summary>What a cell holds, as a spreadsheet application reads it.</summary>
public enum XlsxKind { Empty, Text, Number }

/// <summary>
/// A workbook read back with the Open XML SDK's reading side, written for the tests from the SpreadsheetML rules (shared,
/// inline and plain strings, numbers, the fill of a cell's format), not from the writer's code: the tests check the cells
/// a user would see. Shared with the Silo tests, which read the downloads the same way.
/// </summary>
public sealed class XlsxBook
{
    private readonly Dictionary<string, XlsxSheet> _sheets;

    private XlsxBook(IReadOnlyList<string> names, Dictionary<string, XlsxSheet> sheets)
    {
        SheetNames = names;
        _sheets = sheets;
    }

    /// <summary>The sheets' names in tab order.</summary>
    public IReadOnlyList<string> SheetNames { get; }

    public XlsxSheet Sheet(string name) =>
        _sheets.TryGetValue(name, out var sheet) ? sheet : throw new KeyNotFoundException($"No sheet \"{name}\" among {string.Join(", ", SheetNames)}.");

    public static XlsxBook Open(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);
        var workbookPart = document.WorkbookPart ?? throw new InvalidDataException("No workbook part.");
        var shared = workbookPart.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        var stylesheet = workbookPart.WorkbookStylesPart?.Stylesheet;
        var formats = stylesheet?.CellFormats?.Elements<CellFormat>().ToList() ?? [];
        var fills = stylesheet?.Fills?.Elements<Fill>().ToList() ?? [];

        string? FillOf(uint style)
        {
            if (style >= formats.Count || formats[(int)style].FillId?.Value is not { } fillId || fillId >= fills.Count) return null;
            var pattern = fills[(int)fillId].PatternFill;
            if (pattern?.PatternType?.Value != PatternValues.Solid || pattern.ForegroundColor?.Rgb?.Value is not { Length: 8 } argb) return null;
            return "#" + argb[2..].ToUpperInvariant();
        }

        var names = new List<string>();
        var sheets = new Dictionary<string, XlsxSheet>(StringComparer.Ordinal);
        foreach (var entry in workbookPart.Workbook!.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)workbookPart.GetPartById(entry.Id!.Value!);
            var cells = new Dictionary<(int, int), (XlsxKind Kind, string Text, string? Fill)>();
            foreach (var cell in part.Worksheet!.Descendants<Cell>())
            {
                var (row, column) = Parse(cell.CellReference!.Value!);
                var raw = cell.CellValue?.Text;
                var type = cell.DataType?.Value;
                (XlsxKind, string) value =
                    type == CellValues.SharedString ? (XlsxKind.Text, shared[int.Parse(raw!, CultureInfo.InvariantCulture)])
                    : type == CellValues.InlineString ? (XlsxKind.Text, cell.InlineString?.InnerText ?? "")
                    : type == CellValues.String ? (XlsxKind.Text, raw ?? "")
                    : type is null || type == CellValues.Number ? (raw is null ? (XlsxKind.Empty, "") : (XlsxKind.Number, raw))
                    : throw new InvalidDataException($"{cell.CellReference} has type {type}, which the exports never write.");
                cells[(row, column)] = (value.Item1, value.Item2, FillOf(cell.StyleIndex?.Value ?? 0));
            }
            var merged = part.Worksheet.Elements<MergeCells>().SelectMany(m => m.Elements<MergeCell>()).Select(m => m.Reference!.Value!).ToList();
            var frozen = part.Worksheet.Descendants<Pane>().FirstOrDefault(p => p.State?.Value == PaneStateValues.Frozen)?.VerticalSplit?.Value;
            var widths = part.Worksheet.Descendants<Column>()
                .SelectMany(c => Enumerable.Range((int)c.Min!.Value, (int)(c.Max!.Value - c.Min.Value + 1)).Select(i => (i, c.Width!.Value)))
                .ToDictionary(p => p.i, p => p.Value);
            names.Add(entry.Name!.Value!);
            sheets[entry.Name!.Value!] = new XlsxSheet(cells, merged, frozen is { } f ? (int)f : 0, widths);
        }
        return new XlsxBook(names, sheets);
    }

    /// <summary>The Open XML SDK's schema and semantic validation of the package, as Office 2007 and Microsoft 365 read it.</summary>
    public static IReadOnlyList<string> ValidationErrors(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);
        return new[] { FileFormatVersions.Office2007, FileFormatVersions.Microsoft365 }
            .SelectMany(version => new OpenXmlValidator(version).Validate(document)
                .Select(e => $"{version}: {e.Part?.Uri} {e.Path?.XPath}: {e.Description}"))
            .ToList();
    }

    /// <summary>"W23" → (23, 23).</summary>
    private static (int Row, int Column) Parse(string reference)
    {
        var column = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetterUpper(reference[i]); i++) column = column * 26 + (reference[i] - 'A' + 1);
        return (int.Parse(reference[i..], CultureInfo.InvariantCulture), column);
    }
}

public sealed class XlsxSheet(
    Dictionary<(int, int), (XlsxKind Kind, string Text, string? Fill)> cells, IReadOnlyList<string> merged, int frozenRows,
    IReadOnlyDictionary<int, double> widths)
{
    /// <summary>The cell's text as shown: a string's characters, a number's stored digits, "" when empty.</summary>
    public string Text(int row, int column) => cells.TryGetValue((row, column), out var c) ? c.Text : "";

    public XlsxKind Kind(int row, int column) => cells.TryGetValue((row, column), out var c) ? c.Kind : XlsxKind.Empty;

    public decimal Number(int row, int column) =>
        Kind(row, column) == XlsxKind.Number
            ? decimal.Parse(Text(row, column), NumberStyles.Float, CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"Cell ({row}, {column}) is {Kind(row, column)}: \"{Text(row, column)}\".");

    /// <summary>The solid fill of the cell's format as #RRGGBB, or null.</summary>
    public string? Fill(int row, int column) => cells.TryGetValue((row, column), out var c) ? c.Fill : null;

    /// <summary>Rows with at least one non-empty cell.</summary>
    public int RowsWithContent => cells.Where(c => c.Value.Kind != XlsxKind.Empty).Select(c => c.Key.Item1).Distinct().Count();

    public IReadOnlyList<string> MergedRanges => merged;

    public int FrozenRows => frozenRows;

    /// <summary>The width set for a column (1-based), or null when none is set.</summary>
    public double? Width(int column) => widths.TryGetValue(column, out var w) ? w : null;
}
