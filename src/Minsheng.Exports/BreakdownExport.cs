using System.Globalization;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;

namespace Minsheng.Exports;

/// <summary>
/// The breakdown table in the shape of the notice's attachment 2: 编号, 项目, 任务, 牵头单位, 区本级 and the streets
/// as columns, one row per task metric (5.2 has two, as its cells hold two numbers), "completed/target" in each cell
/// with an assignment, empty where the unit has none, each filled with its status colour.
/// </summary>
public static class BreakdownExport
{
    /// <summary>The fixed columns before the 区本级 column.</summary>
    public static readonly IReadOnlyList<string> LeadingHeaders = ["编号", "项目", "任务", "牵头单位"];

    public static ExportTable Table(BreakdownInput input)
    {
        var plan = input.Plan.Plan;
        var headers = LeadingHeaders.Append("区本级").Concat(plan.Streets.Select(s => s.Name)).ToList();
        var units = plan.Streets.Select(s => s.Id).Prepend(PlanUnits.District).ToList();
        var rows = new List<IReadOnlyList<ExportCell>>();
        foreach (var task in plan.Tasks)
        {
            var project = input.Plan.Project(task.ProjectId);
            var lead = input.Plan.FindDepartment(task.LeadDepartment)?.Name ?? task.LeadDepartment;
            foreach (var metric in task.Metrics)
            {
                var title = task.Metrics.Count > 1 ? $"{task.Title}（{metric.Name}，{metric.Unit}）" : task.Title;
                var row = new List<ExportCell> { task.Id, project.Name, title, lead };
                foreach (var unit in units)
                {
                    var assignment = task.Assignments.FirstOrDefault(a => a.UnitId == unit && a.MetricId == metric.Id);
                    if (assignment is null)
                    {
                        row.Add("");
                        continue;
                    }
                    var cell = input.Cells.GetValueOrDefault(new AssignmentKey(task.Id, unit, metric.Id))
                        ?? new BreakdownCell(0, assignment.Target, AssignmentStatus.OnTrack);
                    row.Add(new ExportCell(Text(cell), null, StatusColors.Fill(cell.Status)));
                }
                rows.Add(row);
            }
        }
        rows.Add(Legend(headers.Count));
        var asOf = input.AsOf.ToOffset(input.Plan.Plan.Deadline.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new ExportTable("任务分解表", $"{plan.Title}任务分解表（完成数/目标数，截至 {asOf}）", headers, rows);
    }

    /// <summary>"completed/target", both as whole numbers.</summary>
    public static string Text(BreakdownCell cell) =>
        string.Create(CultureInfo.InvariantCulture, $"{cell.Completed}/{cell.Target}");

    /// <summary>The last row: each status colour with its name.</summary>
    private static IReadOnlyList<ExportCell> Legend(int columns)
    {
        var row = new List<ExportCell> { "", "", "图例", "" };
        row.AddRange(new[] { AssignmentStatus.Done, AssignmentStatus.OnTrack, AssignmentStatus.Lagging, AssignmentStatus.Overdue }.Select(s => new ExportCell(StatusColors.Label(s), null, StatusColors.Fill(s))));
        while (row.Count < columns) row.Add("");
        return row;
    }
}
