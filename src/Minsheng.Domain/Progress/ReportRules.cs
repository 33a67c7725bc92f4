using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Progress;

/// <summary>Decides whether a report may be accepted, and what the assignment looks like after it.</summary>
public static class ReportRules
{
    /// <summary>Checks the report's own fields against the plan; nothing here depends on the current count.</summary>
    public static Refusal? CheckShape(ReportRequest r, PlanIndex plan, ReportLimits limits)
    {
        if (IdRefusal("reportId", r.ReportId, limits) is { } idProblem) return idProblem;
        if (plan.FindTask(r.TaskId) is not { } task) return Refusal.Invalid("taskId", $"任务“{Clip(r.TaskId)}”不在计划 {plan.Id} 中");
        if (r.UnitId != PlanUnits.District && !plan.IsStreet(r.UnitId))
            return Refusal.Invalid("unitId", $"单位“{Clip(r.UnitId)}”不是本计划的街道，也不是区本级（district）");
        if (task.Metrics.All(m => m.Id != r.MetricId))
            return Refusal.Invalid("metricId", $"任务 {task.Id} 没有指标“{Clip(r.MetricId)}”");
        if (plan.FindAssignment(task.Id, r.UnitId, r.MetricId) is not { } assignment)
            return Refusal.Invalid("unitId", $"单位 {r.UnitId} 在任务 {task.Id} 的指标 {r.MetricId} 上没有分解任务");
        if (r.Completed < 0) return Refusal.Invalid("completed", "累计完成数必须是不小于 0 的整数");
        var ceiling = (long)assignment.Assignment.Target * limits.MaxMultipleOfTarget;
        if (r.Completed > ceiling)
            return Refusal.Invalid("completed",
                $"累计完成数 {r.Completed} 超过目标 {assignment.Assignment.Target} 的 {limits.MaxMultipleOfTarget} 倍（{ceiling}，合理性上限，可由 Minsheng:Limits:MaxMultipleOfTarget 配置），疑似填报错误");
        if (r.Note is { Length: var n } && n > limits.MaxNoteLength)
            return Refusal.Invalid("note", $"备注不能超过 {limits.MaxNoteLength} 个字符");
        if (r.Evidence.Count > limits.MaxEvidenceCount)
            return Refusal.Invalid("evidence", $"佐证材料不能超过 {limits.MaxEvidenceCount} 条");
        for (var i = 0; i < r.Evidence.Count; i++)
        {
            var e = r.Evidence[i];
            if (e.Length > limits.MaxEvidenceLength || !IsHttpUrl(e))
                return Refusal.Invalid($"evidence[{i}]", $"佐证材料必须是 http 或 https 链接，且不超过 {limits.MaxEvidenceLength} 个字符");
        }
        if (r.Reason is { Length: var rl } && rl > limits.MaxReasonLength)
            return Refusal.Invalid("reason", $"更正原因不能超过 {limits.MaxReasonLength} 个字符");
        if (r.Correction && string.IsNullOrWhiteSpace(r.Reason))
            return Refusal.Invalid("reason", "更正（correction: true）必须说明原因");
        return null;
    }

    /// <summary>Checks the report against the current count: a lower number needs an explicit correction with a reason.</summary>
    public static Refusal? CheckAgainst(ReportRequest r, ProgressFact current)
    {
        if (r.Completed < current.Completed && !r.Correction)
            return Refusal.Unprocessable("completed",
                $"累计完成数 {r.Completed} 低于当前的 {current.Completed}；如需下调，请以更正（correction: true）提交并说明原因");
        return null;
    }

    /// <summary>The assignment's fact after an accepted report.</summary>
    public static ProgressFact Apply(ProgressFact current, long target, long completed, DateTimeOffset at)
    {
        var doneAt = completed >= target ? current.DoneAt ?? at : (DateTimeOffset?)null;
        return current with { Completed = completed, Version = current.Version + 1, LastReportAt = at, DoneAt = doneAt };
    }

    /// <summary>Ids are short, printable and free of anything a log or a URL would misread.</summary>
    public static Refusal? IdRefusal(string field, string value, ReportLimits limits)
    {
        if (string.IsNullOrWhiteSpace(value)) return Refusal.Invalid(field, "不能为空");
        if (value.Length > limits.MaxIdLength) return Refusal.Invalid(field, $"不能超过 {limits.MaxIdLength} 个字符");
        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            return Refusal.Invalid(field, "只能包含英文字母、数字和 - _ . :");
        return null;
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
