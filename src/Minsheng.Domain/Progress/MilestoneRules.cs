namespace Minsheng.Domain.Progress;

/// <summary>Checks a schedule (倒排计划) before it is stored.</summary>
public static class MilestoneRules
{
    public const int MaxMilestones = 60;

    /// <summary>
    /// Milestones must lie inside the plan (start to deadline), dates strictly increasing, counts non-decreasing and
    /// non-negative, and the last count equal to the target.
    /// </summary>
    public static Refusal? Check(PlanTimeline timeline, long target, IReadOnlyList<Milestone> milestones)
    {
        if (milestones.Count == 0) return Refusal.Invalid("milestones", "至少需要一个节点");
        if (milestones.Count > MaxMilestones) return Refusal.Invalid("milestones", $"节点不能超过 {MaxMilestones} 个");
        var start = timeline.DateOf(timeline.Start);
        var deadline = timeline.DateOf(timeline.Deadline);
        for (var i = 0; i < milestones.Count; i++)
        {
            var m = milestones[i];
            if (m.Date < start || m.Date > deadline)
                return Refusal.Invalid($"milestones[{i}].date", $"日期必须在计划期内（{start:yyyy-MM-dd} 至 {deadline:yyyy-MM-dd}）");
            if (m.Completed < 0) return Refusal.Invalid($"milestones[{i}].completed", "不能为负数");
            if (i > 0 && m.Date <= milestones[i - 1].Date) return Refusal.Invalid($"milestones[{i}].date", "日期必须逐个递增");
            if (i > 0 && m.Completed < milestones[i - 1].Completed) return Refusal.Invalid($"milestones[{i}].completed", "累计数不能减少");
        }
        if (milestones[^1].Completed != target)
            return Refusal.Invalid($"milestones[{milestones.Count - 1}].completed", $"最后一个节点必须等于目标数 {target}");
        return null;
    }
}
