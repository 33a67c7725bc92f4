using System.Globalization;
using System.Text.RegularExpressions;

namespace Minsheng.Domain.Import;

/// <summary>One row of attachment 2 (任务分解表): a task and its cells, as written.</summary>
/// <param name="Id">Project number + the row's own number, e.g. "1.2".</param>
/// <param name="ProjectId">The project number in digits.</param>
/// <param name="Title">The task title without its leading “2.”.</param>
/// <param name="LeadDepartmentName">牵头单位, normalized.</param>
/// <param name="DistrictCell">The 区本级任务 cell.</param>
/// <param name="StreetCells">Per street column header (normalized), that street's cell, in column order.</param>
internal sealed record TaskRow(
    string Id,
    string ProjectId,
    string Title,
    string LeadDepartmentName,
    string DistrictCell,
    IReadOnlyList<KeyValuePair<string, string>> StreetCells);

/// <summary>
/// Reads attachment 2 (任务分解表). Its header takes two rows: the first names 编号, 项目内容, 牵头单位, 区本级任务
/// and spans the streets with one merged cell; the second, as wide as the data rows, names each street after the
/// district column. A project's number appears on its first task only (merged cell), so it carries down.
/// </summary>
internal static partial class TaskBreakdown
{
    private const string Where = "attachment 2";

    /// <summary>The tasks of the table, in table order.</summary>
    public static IReadOnlyList<TaskRow> Read(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        // The header rows are those above the first project number (the 编号 column comes first).
        var headerRows = rows.TakeWhile(row => NumberParser.ParseProjectNumber(row[0]) is null).ToList();
        if (headerRows.Count == 0 || headerRows.Count == rows.Count)
        {
            throw new NoticeImportException($"{Where}: cannot tell the header rows from the task rows");
        }

        var labels = headerRows[0];
        var number = NoticeText.Column(labels, "编号", Where);
        var content = NoticeText.Column(labels, "项目内容", Where);
        var lead = NoticeText.Column(labels, "牵头单位", Where);
        var district = NoticeText.Column(labels, "区本级任务", Where);
        var streetHeader = headerRows[^1];
        var streetColumns = Enumerable.Range(district + 1, Math.Max(0, streetHeader.Count - district - 1)).ToList();

        var tasks = new List<TaskRow>();
        string? projectId = null;
        foreach (var row in rows.Skip(headerRows.Count))
        {
            if (row.Count != streetHeader.Count)
            {
                throw new NoticeImportException(
                    $"{Where}: the row “{string.Join(" | ", row.Take(content + 1))}” has {row.Count} cells, "
                    + $"the header {streetHeader.Count}");
            }

            projectId = NumberParser.ParseProjectNumber(row[number])?.ToString(CultureInfo.InvariantCulture)
                ?? projectId;
            var title = TaskTitle().Match(NoticeText.Joined(row[content]));
            if (projectId is null || !title.Success)
            {
                throw new NoticeImportException($"{Where}: “{row[content]}” is not a numbered task of a project");
            }

            tasks.Add(new TaskRow(
                $"{projectId}.{title.Groups["number"].Value}",
                projectId,
                title.Groups["title"].Value.Trim(),
                NoticeText.Normalize(row[lead]),
                row[district],
                streetColumns.Select(i => KeyValuePair.Create(NoticeText.Normalize(streetHeader[i]), row[i])).ToList()));
        }

        return tasks;
    }

    [GeneratedRegex(@"^\s*(?<number>\d+)\s*[.．、]\s*(?<title>.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex TaskTitle();
}
