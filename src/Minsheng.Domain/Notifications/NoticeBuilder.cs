using System.Globalization;
using System.Text;
using System.Text.Json;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Notifications;

/// <summary>
/// Makes a plan's notices from what supervision and the reviews decided: one per case, one per unit for the
/// assignments a 临近提醒 or a weekly forecast found (a group robot is told once per unit, not once per line), one per
/// review, one digest per unit and day. Ids name the cause, so the same cause always makes the same notice.
/// </summary>
public sealed class NoticeBuilder(PlanIndex plan)
{
    /// <summary>Lines of items a message lists before it says how many more there are.</summary>
    public const int MaxLines = 15;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Whether <paramref name="e"/> makes a notice (status changes, responses and closings do not).</summary>
    public static bool MakesNotice(SupervisionEvent e) => e is CaseChanged { Action: CaseAction.Opened } or CaseResponseOverdue or DigestReady
        or DeadlineNearReached or ForecastChanged { AtRisk: true };

    /// <summary>The notices of one supervision run's events (status and closing events tell nothing here).</summary>
    public IReadOnlyList<Notice> FromSupervision(IEnumerable<SupervisionEvent> events)
    {
        var notices = new List<Notice>();
        var list = events.ToList();
        foreach (var e in list)
        {
            switch (e)
            {
                case CaseChanged { Action: CaseAction.Opened } c: notices.Add(CaseOpened(c.Case)); break;
                case CaseResponseOverdue r: notices.Add(ResponseOverdue(r)); break;
                case DigestReady d: notices.AddRange(d.Digests.Select(x => Digest(x, d.At))); break;
            }
        }
        foreach (var group in list.OfType<DeadlineNearReached>().GroupBy(d => (d.At, d.DaysBefore, Owner: Owner(d.TaskId, d.UnitId))))
            notices.Add(DeadlineNear(group.Key.Owner, group.Key.DaysBefore, group.Key.At, group.ToList()));
        foreach (var group in list.OfType<ForecastChanged>().Where(f => f.AtRisk).GroupBy(f => (f.At, Owner(f.TaskId, f.UnitId))))
            notices.Add(ForecastLate(group.Key.Item2, group.Key.At, group.ToList()));
        return notices;
    }

    public Notice CaseOpened(SupervisionCase c)
    {
        var task = plan.FindTask(c.TaskId);
        var title = $"个案督办 {c.Id}：{UnitName(c.UnitId, c.TaskId)} · {c.TaskId} {Short(task?.Title)}";
        var text = new StringBuilder($"### 个案督办 {c.Id}（已立案）\n\n")
            .Append($"- 任务：{c.TaskId} {task?.Title}\n")
            .Append($"- 责任单位：{UnitName(c.UnitId, c.TaskId)}\n")
            .Append($"- 立案原因：{c.Reason}\n")
            .Append($"- 交办：{string.Join("、", c.AddressedTo.Select(AnyName))}\n")
            .Append($"- 立案时间：{Time(c.OpenedAt)}\n")
            .Append("\n请牵头单位及时反馈承办情况和承诺完成日期。");
        return Make($"caseOpened:{c.Id}", NoticeKind.CaseOpened, c.OpenedAt, [c.UnitId, .. c.AddressedTo], title, text.ToString(),
            new { caseId = c.Id, c.TaskId, c.UnitId, kind = c.Kind.WireName(), c.Reason, c.AddressedTo, c.OpenedAt });
    }

    private Notice ResponseOverdue(CaseResponseOverdue r)
    {
        var c = r.Case;
        var title = $"督办件 {c.Id} 已 {r.Days} 天未反馈：{UnitName(c.UnitId, c.TaskId)} · {c.TaskId}";
        var text = new StringBuilder($"### 督办件 {c.Id} 超期未反馈\n\n")
            .Append($"- 任务：{c.TaskId} {plan.FindTask(c.TaskId)?.Title}\n")
            .Append($"- 责任单位：{UnitName(c.UnitId, c.TaskId)}\n")
            .Append($"- 立案时间：{Time(c.OpenedAt)}，已超过 {r.Days} 天未收到承办反馈\n")
            .Append($"- 交办：{string.Join("、", c.AddressedTo.Select(AnyName))}\n");
        return Make($"caseResponseOverdue:{c.Id}", NoticeKind.CaseResponseOverdue, r.At, [c.UnitId, .. c.AddressedTo], title, text.ToString(),
            new { caseId = c.Id, c.TaskId, c.UnitId, c.OpenedAt, days = r.Days });
    }

    private Notice DeadlineNear(string owner, int days, DateTimeOffset at, IReadOnlyList<DeadlineNearReached> items)
    {
        var title = $"临近截止提醒：{AnyName(owner)} 距截止还有 {days} 天，{items.Count} 项未完成";
        var text = new StringBuilder($"### 临近截止提醒（还有 {days} 天）\n\n{AnyName(owner)} 以下 {items.Count} 项尚未完成：\n\n");
        foreach (var i in items.Take(MaxLines)) text.Append($"- {Line(i.TaskId, i.UnitId, i.MetricId)}：{i.Completed}/{i.Target}\n");
        More(text, items.Count);
        return Make($"deadlineNear:{owner}:{Date(at)}:{days}", NoticeKind.DeadlineNear, at, Units(owner, items.Select(i => i.TaskId)), title, text.ToString(),
            new { unitId = owner, daysBefore = days, items = items.Select(i => new { i.TaskId, i.UnitId, i.MetricId, i.Completed, i.Target }) });
    }

    private Notice ForecastLate(string owner, DateTimeOffset at, IReadOnlyList<ForecastChanged> items)
    {
        var title = $"预计逾期预警：{AnyName(owner)} {items.Count} 项按当前进度将无法在截止前完成";
        var text = new StringBuilder($"### 预计逾期预警（{Date(at)} 周检）\n\n{AnyName(owner)} 以下 {items.Count} 项按近期进度预计晚于截止时间：\n\n");
        foreach (var i in items.Take(MaxLines))
            text.Append($"- {Line(i.TaskId, i.UnitId, i.MetricId)}：{(i.Forecast?.ExpectedDoneAt is { } d ? $"预计 {Date(d)} 完成" : "按当前进度无法完成")}\n");
        More(text, items.Count);
        return Make($"forecastLate:{owner}:{Date(at)}", NoticeKind.ForecastLate, at, Units(owner, items.Select(i => i.TaskId)), title, text.ToString(),
            new
            {
                unitId = owner,
                items = items.Select(i => new { i.TaskId, i.UnitId, i.MetricId, expectedDoneAt = i.Forecast?.ExpectedDoneAt, method = i.Forecast?.Method.WireName() }),
            });
    }

    public Notice RankingPublished(WeeklyRanking r)
    {
        var title = $"{r.Week} 周晾晒已发布";
        var text = new StringBuilder($"### {r.Week} 每周晾晒\n\n发布时间：{Time(r.PublishedAt)}\n\n");
        text.Append($"- 街道前三：{string.Join("、", r.Streets.Take(3).Select(s => $"{s.Name}（{Percent(s.Ratio)}）"))}\n");
        text.Append($"- 街道后三：{string.Join("、", r.Streets.TakeLast(3).Select(s => $"{s.Name}（{Percent(s.Ratio)}）"))}\n");
        text.Append($"- 滞后 {r.Lagging.Count} 项，逾期 {r.Overdue.Count} 项，预计逾期 {r.AtRisk?.Count ?? 0} 项，本周未报送单位 {r.Silent.Count} 个\n");
        return Make($"rankingPublished:{r.Week}", NoticeKind.RankingPublished, r.PublishedAt, [], title, text.ToString(),
            new { week = r.Week, publishedAt = r.PublishedAt, lagging = r.Lagging.Count, overdue = r.Overdue.Count, atRisk = r.AtRisk?.Count ?? 0 });
    }

    public Notice EvaluationPublished(MonthlyEvaluation e)
    {
        var title = $"{e.Month} 月度评估已发布";
        var text = new StringBuilder($"### {e.Month} 月度评估\n\n")
            .Append($"- 街道第一：{string.Join("、", e.Streets.Where(s => s.Rank == 1).Select(s => $"{s.Name}（{s.Total.ToString(CultureInfo.InvariantCulture)} 分）"))}\n")
            .Append($"- 部门第一：{string.Join("、", e.Departments.Where(s => s.Rank == 1).Select(s => $"{s.Name}（{s.Total.ToString(CultureInfo.InvariantCulture)} 分）"))}\n");
        return Make($"evaluationPublished:{e.Month}", NoticeKind.EvaluationPublished, e.EvaluatedAt, [], title, text.ToString(),
            new { month = e.Month, evaluatedAt = e.EvaluatedAt });
    }

    public Notice FinalEvaluationPublished(FinalEvaluation e) =>
        Make("evaluationPublished:final", NoticeKind.EvaluationPublished, e.EvaluatedAt, [], "年度综合考评依据已发布",
            $"### 年度综合考评依据\n\n发布时间：{Time(e.EvaluatedAt)}\n", new { month = "final", evaluatedAt = e.EvaluatedAt });

    public Notice Digest(UnitDigest d, DateTimeOffset at)
    {
        var name = AnyName(d.UnitId);
        var date = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var title = $"每日提醒 {date}：{name} 未完成 {d.Due.Count + d.Overdue.Count} 项，预计逾期 {d.AtRisk.Count} 项，逾期 {d.Overdue.Count} 项，督办 {d.OpenCases.Count} 件";
        var text = new StringBuilder($"### {name} 每日提醒（{date}）\n\n");
        text.Append(d.DaysToDeadline >= 0 ? $"距截止还有 {d.DaysToDeadline} 天。\n\n" : $"已过截止时间 {-d.DaysToDeadline} 天。\n\n");
        Section(text, "逾期", d.Overdue);
        Section(text, "预计逾期", d.AtRisk);
        Section(text, "未完成", d.Due);
        if (d.OpenCases.Count > 0)
        {
            text.Append($"**督办件（{d.OpenCases.Count}）**\n\n");
            foreach (var c in d.OpenCases.Take(MaxLines)) text.Append($"- {c.Id} {c.TaskId} {UnitName(c.UnitId, c.TaskId)}：{c.Reason}\n");
            More(text, d.OpenCases.Count);
        }
        if (d.Due.Count + d.Overdue.Count + d.OpenCases.Count == 0) text.Append("全部任务已完成，无待办事项。\n");
        return Make($"digest:{d.UnitId}:{date}", NoticeKind.Digest, at, [d.UnitId], title, text.ToString(), new
        {
            unitId = d.UnitId,
            date,
            daysToDeadline = d.DaysToDeadline,
            due = d.Due,
            atRisk = d.AtRisk,
            overdue = d.Overdue,
            openCases = d.OpenCases.Select(c => new { caseId = c.Id, c.TaskId, c.UnitId, state = c.State.WireName(), c.OpenedAt }),
        });
    }

    private void Section(StringBuilder text, string heading, IReadOnlyList<DigestItem> items)
    {
        if (items.Count == 0) return;
        text.Append($"**{heading}（{items.Count}）**\n\n");
        foreach (var i in items.Take(MaxLines)) text.Append($"- {Line(i.TaskId, i.UnitId, i.MetricId)}：{i.Completed}/{i.Target}\n");
        More(text, items.Count);
        text.Append('\n');
    }

    private static void More(StringBuilder text, int count)
    {
        if (count > MaxLines) text.Append($"- ……等共 {count} 项\n");
    }

    /// <summary>Who answers for an assignment: its street, or the task's lead department for 区本级.</summary>
    private string Owner(string taskId, string unitId) =>
        plan.FindStreet(unitId) is null && plan.FindTask(taskId) is { } task ? task.LeadDepartment : unitId;

    /// <summary>A notice about units also concerns the lead departments of the tasks it lists.</summary>
    private IReadOnlyList<string> Units(string owner, IEnumerable<string> taskIds) =>
        new[] { owner }.Concat(taskIds.Select(t => plan.FindTask(t)?.LeadDepartment).OfType<string>()).Distinct(StringComparer.Ordinal).ToList();

    private string Line(string taskId, string unitId, string metricId)
    {
        var task = plan.FindTask(taskId);
        var metric = task?.Metrics.Count > 1 ? $"（{task.Metrics.FirstOrDefault(m => m.Id == metricId)?.Name ?? metricId}）" : "";
        return $"{taskId} {Short(task?.Title)}{metric} · {UnitName(unitId, taskId)}";
    }

    private string UnitName(string unitId, string taskId) =>
        plan.FindStreet(unitId) is { } street ? $"{street.Name}街道"
        : plan.FindTask(taskId) is { } task && plan.FindDepartment(task.LeadDepartment) is { } d ? $"{d.Name}（区本级）" : unitId;

    private string AnyName(string id) =>
        plan.FindStreet(id) is { } s ? $"{s.Name}街道" : plan.FindDepartment(id)?.Name ?? plan.FindLeader(id)?.Name ?? id;

    private static string Short(string? title) => title is null ? "" : title.Length <= 24 ? title : title[..24] + "…";

    private static string Percent(decimal ratio) => (ratio * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private string Time(DateTimeOffset at) => at.ToOffset(plan.Plan.Deadline.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private string Date(DateTimeOffset at) => at.ToOffset(plan.Plan.Deadline.Offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Notice Make(string id, NoticeKind kind, DateTimeOffset at, IReadOnlyList<string> units, string title, string markdown, object data) =>
        new(plan.Id, id, kind, at, units.Distinct(StringComparer.Ordinal).ToList(), title, markdown, JsonSerializer.SerializeToElement(data, Json));
}
