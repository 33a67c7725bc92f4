using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Import;

/// <summary>
/// Compares what attachment 1 promises for a project (the numbers in 工作任务) with the totals of that project's
/// tasks in attachment 2. The task table is the one the streets work from, so it rules; a difference only warns.
/// </summary>
internal static class AttachmentCrossCheck
{
    /// <summary>One warning per project whose attachment 1 numbers differ from its task totals.</summary>
    public static IReadOnlyList<string> Compare(IReadOnlyList<ProjectRow> projects, IReadOnlyList<PlanTask> tasks)
    {
        var warnings = new List<string>();
        foreach (var project in projects)
        {
            var totals = tasks.Where(t => t.ProjectId == project.Id)
                .SelectMany(t => t.Metrics.Select(m => (TaskId: t.Id, Total: new Quantity(m.Target, m.Unit))))
                .ToList();

            // Only numbers in the units the tasks count are promises; “80周岁以上” is not.
            var stated = NumberParser.FindStated(project.Summary, totals.Select(t => t.Total.Unit));
            if (!SameQuantities(stated, totals.Select(t => t.Total)))
            {
                warnings.Add(
                    $"project {project.Id} {project.Name}: attachment 1 states [{string.Join(", ", stated)}], "
                    + $"the tasks of attachment 2 total [{string.Join(", ", totals.Select(t => $"{t.Total} (task {t.TaskId})"))}]; "
                    + "attachment 2 is used");
            }
        }

        return warnings;
    }

    // The summary may list its numbers in another order than the tasks, so compare them as multisets.
    private static bool SameQuantities(IEnumerable<Quantity> left, IEnumerable<Quantity> right) =>
        Sorted(left).SequenceEqual(Sorted(right));

    private static IEnumerable<Quantity> Sorted(IEnumerable<Quantity> quantities) =>
        quantities.OrderBy(q => q.Unit, StringComparer.Ordinal).ThenBy(q => q.Value);
}
