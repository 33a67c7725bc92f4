using System.Globalization;
using System.Text.RegularExpressions;

namespace Minsheng.Domain.Import;

/// <summary>
/// A 民生实事 responsibility notice as text: the body, signed with the notice's date on a line of its own, then
/// attachments that each start at a line “附件N” and hold one table.
/// </summary>
internal sealed partial class NoticeDocument
{
    private readonly IReadOnlyList<string> lines;

    private NoticeDocument(IReadOnlyList<string> lines) => this.lines = lines;

    /// <summary>Splits the notice text into lines (any line ending).</summary>
    public static NoticeDocument Parse(string text) =>
        new(text.ReplaceLineEndings("\n").Split('\n'));

    /// <summary>The date the notice was signed: the first line that holds only a date like 2024年2月28日.</summary>
    public DateOnly Date()
    {
        foreach (var line in lines)
        {
            var match = DateLine().Match(line);
            if (match.Success)
            {
                return new DateOnly(Number(match, "year"), Number(match, "month"), Number(match, "day"));
            }
        }

        throw new NoticeImportException("notice: no line holds only the notice's date (like 2024年2月28日)");
    }

    /// <summary>The rows of the table of attachment <paramref name="number"/> (附件N).</summary>
    public IReadOnlyList<IReadOnlyList<string>> AttachmentTable(int number)
    {
        var start = -1;
        for (var i = 0; i < lines.Count && start < 0; i++)
        {
            if (AttachmentNumber(lines[i]) == number)
            {
                start = i + 1;
            }
        }

        if (start < 0)
        {
            throw new NoticeImportException($"notice: no line “附件{number}” starts attachment {number}");
        }

        // The attachment runs to the next attachment heading, so its table cannot swallow that heading.
        var section = lines.Skip(start).TakeWhile(line => AttachmentNumber(line) is null);
        var rows = WordTableReader.ReadRows(section);
        if (rows.Count == 0)
        {
            throw new NoticeImportException($"notice: attachment {number} holds no table");
        }

        return rows;
    }

    private static int? AttachmentNumber(string line)
    {
        var match = AttachmentHeading().Match(line);
        return match.Success ? Number(match, "number") : null;
    }

    private static int Number(Match match, string group) =>
        int.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*附件\s*(?<number>\d+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex AttachmentHeading();

    [GeneratedRegex(@"^\s*(?<year>\d{4})年(?<month>\d{1,2})月(?<day>\d{1,2})日\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DateLine();
}
