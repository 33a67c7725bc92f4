namespace Minsheng.Domain.Import;

/// <summary>Small text rules shared by the readers of a notice.</summary>
internal static class NoticeText
{
    /// <summary>
    /// A name or label without any whitespace: the notice pads two-character names to the width of three
    /// (“樊  峥”) and wraps header cells (“区本级\n任务”), neither of which is part of the name.
    /// </summary>
    public static string Normalize(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>The names listed one per paragraph in a cell (leaders, lead departments), normalized.</summary>
    public static IReadOnlyList<string> NamesPerLine(string cell) =>
        cell.Split('\n').Select(Normalize).Where(name => name.Length > 0).ToList();

    /// <summary>The cell's paragraphs joined back into one text (Chinese text needs no space between them).</summary>
    public static string Joined(string cell) => cell.Replace("\n", "", StringComparison.Ordinal);

    /// <summary>The index of the column whose header is <paramref name="label"/> (whitespace ignored).</summary>
    public static int Column(IReadOnlyList<string> header, string label, string where)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (Normalize(header[i]) == label)
            {
                return i;
            }
        }

        throw new NoticeImportException($"{where}: the table has no column “{label}”");
    }
}
