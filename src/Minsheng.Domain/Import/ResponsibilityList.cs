namespace Minsheng.Domain.Import;

/// <summary>One row of attachment 1 (责任清单): a project with its people, as written.</summary>
/// <param name="Id">The project number in digits (序号 一 → "1").</param>
/// <param name="Name">项目名称.</param>
/// <param name="Summary">工作任务: what the project promises, with numbers.</param>
/// <param name="LeaderNames">分管区领导, one per paragraph, whitespace removed.</param>
/// <param name="LeadDepartmentNames">牵头单位, one per paragraph.</param>
/// <param name="ResponsibleUnits">责任单位, split on 、 and kept as written.</param>
internal sealed record ProjectRow(
    string Id,
    string Name,
    string Summary,
    IReadOnlyList<string> LeaderNames,
    IReadOnlyList<string> LeadDepartmentNames,
    IReadOnlyList<string> ResponsibleUnits);

/// <summary>Reads attachment 1 (责任清单): one row per project.</summary>
internal static class ResponsibilityList
{
    private const string Where = "attachment 1";

    /// <summary>The projects of the table, in table order; the first row is the header.</summary>
    public static IReadOnlyList<ProjectRow> Read(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var header = rows[0];
        var number = NoticeText.Column(header, "序号", Where);
        var name = NoticeText.Column(header, "项目名称", Where);
        var summary = NoticeText.Column(header, "工作任务", Where);
        var leaders = NoticeText.Column(header, "分管区领导", Where);
        var leads = NoticeText.Column(header, "牵头单位", Where);
        var units = NoticeText.Column(header, "责任单位", Where);

        var projects = new List<ProjectRow>();
        foreach (var row in rows.Skip(1))
        {
            if (row.Count != header.Count)
            {
                throw new NoticeImportException(
                    $"{Where}: the row starting “{row[0]}” has {row.Count} cells, the header {header.Count}");
            }

            var id = NumberParser.ParseProjectNumber(row[number])
                ?? throw new NoticeImportException($"{Where}: “{row[number]}” is not a project number");
            projects.Add(new ProjectRow(
                id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                NoticeText.Joined(row[name]),
                NoticeText.Joined(row[summary]),
                NoticeText.NamesPerLine(row[leaders]),
                NoticeText.NamesPerLine(row[leads]),
                SplitUnits(row[units])));
        }

        return projects;
    }

    private static IReadOnlyList<string> SplitUnits(string cell) =>
        NoticeText.Joined(cell).Split('、').Select(unit => unit.Trim()).Where(unit => unit.Length > 0).ToList();
}
