namespace Minsheng.Exports;

/// <summary>
/// One table to export, independent of the file format: the xlsx and the CSV of a table are written from the same
/// value, so they cannot disagree. The title is the xlsx sheet's first row; CSV starts at the headers.
/// </summary>
public sealed record ExportTable(string SheetName, string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<ExportCell>> Rows);

/// <summary>
/// A cell: its text (what the CSV holds), a number when the cell is numeric (xlsx stores it as a number), and a fill
/// colour (#RRGGBB) for status cells.
/// </summary>
public readonly record struct ExportCell(string Text, decimal? Number = null, string? Fill = null)
{
    public static ExportCell Of(decimal number) =>
        new(number.ToString(System.Globalization.CultureInfo.InvariantCulture), number);

    public static ExportCell Of(int number) => Of((decimal)number);

    public static implicit operator ExportCell(string text) => new(text);
}
