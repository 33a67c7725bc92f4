using Minsheng.Domain.Progress;

namespace Minsheng.Domain.SignOff;

/// <summary>
/// The rules of 填报→审核 that do not depend on who the caller is in the plan (whether the reviewer reviews this unit is
/// the caller's rule): an item is decided once; nobody reviews what they filled in themselves; a rejection says why.
/// Whether the count itself may still be taken is judged at approval by the report rules, against the count then.
/// </summary>
public static class SignOffRules
{
    /// <summary>Why <paramref name="reviewer"/> may not decide <paramref name="item"/> so, or null when they may.</summary>
    public static Refusal? CheckDecision(PendingReport item, string reviewer, bool approve, string? reason, ReportLimits limits)
    {
        if (item.State != SignOffState.Pending)
            return new Refusal(409, "reportId", $"报告 {item.ReportId} 已{(item.State == SignOffState.Approved ? "审核通过" : "退回")}，不能再次审核");
        if (string.Equals(reviewer, item.Reporter, StringComparison.Ordinal))
            return new Refusal(403, "reviewer", "填报人不能审核自己填报的数据");
        if (!approve && string.IsNullOrWhiteSpace(reason))
            return Refusal.Invalid("reason", "退回必须说明原因");
        if (reason is { Length: var n } && n > limits.MaxReasonLength)
            return Refusal.Invalid("reason", $"审核意见不能超过 {limits.MaxReasonLength} 个字符");
        return null;
    }

    /// <summary>The item approved by <paramref name="reviewer"/> at <paramref name="at"/> (checked with <see cref="CheckDecision"/> first).</summary>
    public static PendingReport Approve(PendingReport item, string reviewer, DateTimeOffset at, string? reviewerRole = null) =>
        item with { State = SignOffState.Approved, Reviewer = reviewer, ReviewedAt = at, ReviewerRole = reviewerRole };

    /// <summary>The item sent back to its reporter with <paramref name="reason"/>.</summary>
    public static PendingReport Reject(PendingReport item, string reviewer, string reason, DateTimeOffset at, string? reviewerRole = null) =>
        item with { State = SignOffState.Rejected, Reviewer = reviewer, ReviewedAt = at, ReturnReason = reason.Trim(), ReviewerRole = reviewerRole };

    /// <summary>
    /// What waits for a unit's reviewer: the pending items, oldest first. A later filling of the same assignment metric
    /// does not replace an earlier one (the reviewer sees both and decides each; counts are cumulative, so approving the
    /// later first makes the earlier one a lower count, which the report rules then refuse as going back).
    /// </summary>
    public static IReadOnlyList<PendingReport> Waiting(IEnumerable<PendingReport> items) =>
        items.Where(i => i.State == SignOffState.Pending).OrderBy(i => i.SubmittedAt).ThenBy(i => i.ReportId, StringComparer.Ordinal).ToList();
}
