using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Import;

/// <summary>
/// Turns a row of attachment 2 into a <see cref="PlanTask"/>: metrics with the totals the title states,
/// one assignment per non-empty cell, and the check that the cells add up to the stated totals.
/// </summary>
internal static class TaskBuilder
{
    /// <summary>Builds and checks one task; throws <see cref="NoticeImportException"/> naming what does not fit.</summary>
    public static PlanTask Build(TaskRow row, ImportDictionary dictionary, NameIndex names)
    {
        var where = $"task {row.Id}";
        var cells = ReadCells(row, names);
        var metrics = DefineMetrics(row, dictionary.MetricsFor(row.Id), cells);
        var assignments = Assign(row.Id, metrics, cells);
        CheckTotals(row.Id, metrics, assignments);
        return new PlanTask(
            row.Id, row.ProjectId, row.Title, names.DepartmentId(row.LeadDepartmentName, where), metrics, assignments);
    }

    private sealed record Cell(string UnitId, string Column, string Text, IReadOnlyList<Quantity> Quantities);

    private static List<Cell> ReadCells(TaskRow row, NameIndex names)
    {
        var columns = new List<(string UnitId, string Column, string Text)> { (PlanUnits.District, "区本级", row.DistrictCell) };
        columns.AddRange(row.StreetCells.Select(c => (names.StreetId(c.Key, "attachment 2 header"), c.Key, c.Value)));
        return columns.Select(c => new Cell(c.UnitId, c.Column, c.Text, Parse(row.Id, c.Column, c.Text))).ToList();
    }

    private static IReadOnlyList<Quantity> Parse(string taskId, string column, string text)
    {
        try
        {
            return NumberParser.ParseCell(text);
        }
        catch (FormatException e)
        {
            throw new NoticeImportException($"task {taskId} column {column}: {e.Message}", e);
        }
    }

    private static List<Metric> DefineMetrics(TaskRow row, IReadOnlyList<MetricDefinition>? given, List<Cell> cells)
    {
        // A task not in the dictionary counts one thing, in the unit its cells use, named by its title.
        var definitions = given ?? [new MetricDefinition(PlanUnits.MainMetric, row.Title, CellUnit(row.Id, cells))];
        IReadOnlyList<Quantity> stated;
        try
        {
            stated = NumberParser.FindStated(row.Title, definitions.Select(d => d.Unit));
        }
        catch (FormatException e)
        {
            throw new NoticeImportException($"task {row.Id}: title “{row.Title}”: {e.Message}", e);
        }

        // The title states one total per metric, in the same order as the numbers in a cell.
        if (stated.Count != definitions.Count || stated.Where((q, i) => q.Unit != definitions[i].Unit).Any())
        {
            throw new NoticeImportException(
                $"task {row.Id}: title “{row.Title}” states [{string.Join(", ", stated)}], "
                + $"expected one total per metric in [{string.Join(", ", definitions.Select(d => $"{d.Id} ({d.Unit})"))}]");
        }

        return definitions.Select((d, i) => new Metric(d.Id, d.Name, d.Unit, stated[i].Value)).ToList();
    }

    private static string CellUnit(string taskId, List<Cell> cells)
    {
        var units = cells.SelectMany(c => c.Quantities).Select(q => q.Unit).Where(u => u.Length > 0).Distinct().ToList();
        return units.Count == 1
            ? units[0]
            : throw new NoticeImportException(
                $"task {taskId}: the cells use units [{string.Join(", ", units)}], expected exactly one "
                + "(give the task's metrics in the import dictionary)");
    }

    private static List<Assignment> Assign(string taskId, List<Metric> metrics, List<Cell> cells)
    {
        var assignments = new List<Assignment>();
        foreach (var cell in cells.Where(c => c.Quantities.Count > 0))
        {
            if (cell.Quantities.Count != metrics.Count)
            {
                throw new NoticeImportException(
                    $"task {taskId} column {cell.Column}: “{cell.Text}” holds {cell.Quantities.Count} number(s), "
                    + $"expected {metrics.Count} (one per metric)");
            }

            for (var i = 0; i < metrics.Count; i++)
            {
                var quantity = cell.Quantities[i];

                // A cell may write the unit once after several numbers (“4805\n\n400人”): no unit means the metric's.
                if (quantity.Unit.Length > 0 && quantity.Unit != metrics[i].Unit)
                {
                    throw new NoticeImportException(
                        $"task {taskId} column {cell.Column} metric {metrics[i].Id}: “{quantity}” is not in {metrics[i].Unit}");
                }

                assignments.Add(new Assignment(cell.UnitId, metrics[i].Id, quantity.Value));
            }
        }

        return assignments;
    }

    private static void CheckTotals(string taskId, List<Metric> metrics, List<Assignment> assignments)
    {
        foreach (var metric in metrics)
        {
            var sum = assignments.Where(a => a.MetricId == metric.Id).Sum(a => a.Target);
            if (sum != metric.Target)
            {
                throw new NoticeImportException(
                    $"task {taskId} metric {metric.Id}: title states {metric.Target}, "
                    + $"district and street cells sum to {sum}");
            }
        }
    }
}
