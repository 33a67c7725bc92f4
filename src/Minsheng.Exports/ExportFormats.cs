namespace Minsheng.Exports;

/// <summary>Content types and file extensions of the exports, for the HTTP layer.</summary>
public static class ExportFormats
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxExtension = ".xlsx";
    public const string CsvExtension = ".csv";
}
