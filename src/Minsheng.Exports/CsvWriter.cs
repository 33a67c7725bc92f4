using System.Text;

namespace Minsheng.Exports;

/// <summary>
/// Writes a table as RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, a quote or a line break,
/// quotes doubled. UTF-8 with a byte order mark, because Excel reads a CSV without one in the local ANSI code page and
/// garbles Chinese.
/// </summary>
public static class CsvWriter
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static void Write(ExportTable table, Stream output)
    {
        using var writer = new StreamWriter(output, Utf8WithBom, leaveOpen: true) { NewLine = "\r\n" };
        writer.Write(Line(table.Headers));
        foreach (var row in table.Rows) writer.Write(Line(row.Select(c => c.Text)));
    }

    public static byte[] ToBytes(ExportTable table)
    {
        using var stream = new MemoryStream();
        Write(table, stream);
        return stream.ToArray();
    }

    private static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote)) + "\r\n";

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
