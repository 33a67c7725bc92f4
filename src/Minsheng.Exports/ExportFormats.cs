namespace Minsheng.Exports;

/// <summary>Content types and file extensions of the exports, for the HTTP layer.</summary>
public static class ExportFormats
{
    /// <summary>The names of the formats, as the <c>format</c> parameter takes them.</summary>
    public const string Xlsx = "xlsx", Csv = "csv";

    public static IReadOnlyList<string> All { get; } = [Xlsx, Csv];

    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxExtension = ".xlsx";
    public const string CsvExtension = ".csv";
}
