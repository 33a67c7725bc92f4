namespace Minsheng.Domain.Import;

/// <summary>
/// Reads a table of a Word document saved as plain text. In such a dump every cell starts on a line beginning
/// with a tab; further paragraphs of the same cell follow as lines without a tab (Word may put an empty line
/// between them, e.g. “4805\n\n400人”); an empty line followed by a tab line starts the next row; two empty
/// lines followed by ordinary text end the table.
/// </summary>
internal static class WordTableReader
{
    /// <summary>
    /// The rows of the first table in <paramref name="lines"/>, each a list of cells; a cell's paragraphs are
    /// trimmed, empty ones dropped, the rest joined with <c>\n</c>. Text before the first cell (the table's
    /// caption) is skipped.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> ReadRows(IEnumerable<string> lines)
    {
        var rows = new List<List<List<string>>>();
        var blankLines = 0;
        foreach (var line in lines)
        {
            if (line.StartsWith('\t'))
            {
                if (rows.Count == 0 || blankLines > 0)
                {
                    rows.Add([]);
                }

                rows[^1].Add([line.Trim()]);
                blankLines = 0;
            }
            else if (string.IsNullOrWhiteSpace(line))
            {
                blankLines++;
            }
            else if (rows.Count > 0)
            {
                if (blankLines >= 2)
                {
                    break;
                }

                rows[^1][^1].Add(line.Trim());
                blankLines = 0;
            }
        }

        return rows
            .Select(row => (IReadOnlyList<string>)row
                .Select(paragraphs => string.Join('\n', paragraphs.Where(p => p.Length > 0)))
                .ToList())
            .ToList();
    }
}
