using System.Text;

namespace Minsheng.Exports.Tests;

/// <summary>An RFC 4180 reader written independently of the writer, so a round trip checks the quoting for real.</summary>
internal static class CsvParser
{
    public static List<List<string>> Parse(byte[] bytes)
    {
        Assert.True(bytes is [0xEF, 0xBB, 0xBF, ..], "CSV must start with a UTF-8 byte order mark");
        var text = new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3);
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString()); field.Clear();
                rows.Add(row); row = [];
                i++;
            }
            else field.Append(ch);
        }
        Assert.True(field.Length == 0 && row.Count == 0, "CSV must end with CRLF");
        return rows;
    }

    /// <summary>The table as the CSV should hold it: headers, then each row's text.</summary>
    public static List<List<string>> Expected(ExportTable table) =>
        table.Rows.Select(r => r.Select(c => c.Text).ToList()).Prepend(table.Headers.ToList()).ToList();
}
