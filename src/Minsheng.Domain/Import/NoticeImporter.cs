using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Import;

/// <summary>
/// Imports a 民生实事 responsibility notice (责任分解通知, as text) into a <see cref="Plan"/>: projects from
/// attachment 1 (责任清单), tasks and their per-unit targets from attachment 2 (任务分解表), ids and the schedule
/// rule from an <see cref="ImportDictionary"/>. Stops with <see cref="NoticeImportException"/> when the notice
/// does not add up; reports differences between the attachments as warnings.
/// </summary>
public static class NoticeImporter
{
    /// <summary>Reads the notice and returns the plan with the warnings the import raised.</summary>
    /// <exception cref="NoticeImportException">The notice cannot be read or its cells do not add up.</exception>
    /// <exception cref="PlanFormatException">The resulting plan does not validate (e.g. a bad dictionary).</exception>
    public static ImportResult Import(string noticeText, ImportDictionary dictionary)
    {
        var notice = NoticeDocument.Parse(noticeText);
        var names = new NameIndex(dictionary);
        var projectRows = ResponsibilityList.Read(notice.AttachmentTable(1));
        var taskRows = TaskBreakdown.Read(notice.AttachmentTable(2));
        CheckDictionaryTasks(dictionary, taskRows);

        var tasks = taskRows.Select(row => TaskBuilder.Build(row, dictionary, names)).ToList();
        var projects = projectRows.Select(row => BuildProject(row, tasks, names)).ToList();
        var orphan = tasks.FirstOrDefault(t => projects.All(p => p.Id != t.ProjectId));
        if (orphan is not null)
        {
            throw new NoticeImportException($"task {orphan.Id}: project {orphan.ProjectId} is not in attachment 1");
        }

        var plan = new Plan(
            dictionary.PlanId,
            dictionary.Title,
            dictionary.Year,
            notice.Date(),
            dictionary.Schedule.Deadline(dictionary.Year),
            dictionary.Schedule.FinalDeadline(dictionary.Year),
            dictionary.Streets,
            dictionary.Departments,
            dictionary.Leaders,
            projects,
            tasks,
            dictionary.District,
            dictionary.Region);

        // The same rules as any plan file, so an import can never produce a plan the loader would refuse.
        PlanValidator.ValidateOrThrow(plan, "imported notice");
        return new ImportResult(plan, AttachmentCrossCheck.Compare(projectRows, tasks));
    }

    private static Project BuildProject(ProjectRow row, IReadOnlyList<PlanTask> tasks, NameIndex names)
    {
        var where = $"project {row.Id}";
        var taskIds = tasks.Where(t => t.ProjectId == row.Id).Select(t => t.Id).ToList();
        if (taskIds.Count == 0)
        {
            throw new NoticeImportException($"{where}: attachment 2 has no task for it");
        }

        return new Project(
            row.Id,
            row.Name,
            row.Summary,
            row.LeaderNames.Select(name => names.LeaderId(name, where)).ToList(),
            row.LeadDepartmentNames.Select(name => names.DepartmentId(name, where)).ToList(),
            row.ResponsibleUnits,
            taskIds);
    }

    // A metric list for a task the notice does not have is a typo in the dictionary, not something to ignore.
    private static void CheckDictionaryTasks(ImportDictionary dictionary, IReadOnlyList<TaskRow> taskRows)
    {
        var unknown = (dictionary.TaskMetrics?.Keys ?? []).Where(id => taskRows.All(t => t.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            throw new NoticeImportException(
                $"import dictionary: taskMetrics names task(s) [{string.Join(", ", unknown)}] the notice does not have");
        }
    }
}
