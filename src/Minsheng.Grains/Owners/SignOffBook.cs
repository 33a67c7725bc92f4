using Microsoft.Extensions.Logging;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.SignOff;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;
using Minsheng.Grains.SignOff;

namespace Minsheng.Grains.Owners;

/// <summary>
/// Sign-off (填报→审核) for an owner's assignments: filings wait in the sign-off store and count nowhere; an approval
/// hands the filed report to the owner's <see cref="AssignmentBook"/>, whose one atomic append to the report log is what
/// makes it count (with both people and both moments); a rejection is one conditional change of the filing's row. The
/// owner keeps its waiting filings in memory (loaded on activation: only what waits, never the year's history).
/// Decisions on one filing never overlap: a second one while the first is under way is refused, so an approval and a
/// rejection cannot both win in this activation.
/// </summary>
internal sealed class SignOffBook(
    ISignOffStore store,
    IReportLog log,
    AssignmentBook book,
    PlanIndex plan,
    OwnerRef owner,
    BusinessClock clock,
    ReportLimits limits,
    ILogger logger)
{
    private readonly Dictionary<string, PendingReport> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deciding = new(StringComparer.Ordinal);
    private readonly TimeSpan _offset = plan.Plan.Deadline.Offset;

    /// <summary>
    /// Loads what waits. A row still marked pending that the report log holds was approved by an activation that died
    /// before marking it: marked now, from the log's row.
    /// </summary>
    public async Task Load()
    {
        if (!plan.Plan.SignOff) return;
        foreach (var item in await store.Waiting(plan.Id, owner.Id))
        {
            if (await log.FindReport(plan.Id, item.ReportId) is { } counted)
            {
                await store.MarkApproved(plan.Id, item.ReportId, counted.SignOff?.ReviewerRole ?? counted.Role, counted.SignOff?.Reviewer ?? counted.Person, counted.At);
                continue;
            }
            _waiting[item.ReportId] = item;
        }
    }

    public async Task<SignOffOutcome> File(ReportCommand command)
    {
        var request = command.ToRequest();
        if (!plan.Plan.SignOff) return SignOffOutcome.Refused(409, "planId", $"计划 {plan.Id} 未启用填报审核，报告直接计入");
        if (ReportRules.CheckShape(request, plan, limits) is { } shape) return await FiledOr(request, Refused(shape));
        var task = plan.Task(request.TaskId);
        if (PlanIndex.OwnerOf(task, request.UnitId) != owner)
            return SignOffOutcome.Refused(403, "unitId", $"{owner.Id} 不负责任务 {task.Id} 中单位 {request.UnitId} 的指标");
        var key = new AssignmentKey(request.TaskId, request.UnitId, request.MetricId);
        var target = plan.FindAssignment(key.TaskId, key.UnitId, key.MetricId)!.Value.Assignment.Target;

        var known = _waiting.GetValueOrDefault(request.ReportId) ?? await store.Find(plan.Id, request.ReportId);
        if (known is not null) return Retry(known, request, target);
        if (await log.FindReport(plan.Id, request.ReportId) is not null)
            return SignOffOutcome.Refused(409, "reportId", $"报告编号 {request.ReportId} 已用于一份已计入的报告");
        if (ReportRules.CheckAgainst(request, book.FactOf(key)) is { } refusal) return Refused(refusal);

        var item = new PendingReport(request, command.By, command.Person ?? command.By, clock.GetUtcNow().ToOffset(_offset));
        if (await store.File(plan.Id, owner.Id, item) is { } raced) return Retry(raced, request, target);
        _waiting[item.ReportId] = item;
        return new SignOffOutcome(202, item, target, null, null);
    }

    /// <summary>Approves a filing: the outcome as a report's, and the fact it changed for the owner to announce (null when none).</summary>
    public async Task<(ReportOutcome Outcome, FactUpdate? Update)> Approve(SignOffDecision decision)
    {
        var (item, refusal) = await Decidable(decision);
        if (item is null)
        {
            // A retry of an approval that went through answers as a retried report does: its first answer.
            if (refusal!.Status == 409 && await log.FindReport(plan.Id, decision.ReportId) is { Answer: not null } counted
                && counted.SignOff?.Reviewer == decision.Reviewer)
                return (ReportOutcome.Replayed(counted.AnswerWithPosition()!), null);
            return (ReportOutcome.Refused(refusal.Status, refusal.Field, refusal.Reason), null);
        }
        try
        {
            var r = item.Request;
            var signOff = new SignOffLine(item.ReporterRole, item.Reporter, item.SubmittedAt, decision.ReviewerRole, decision.Reviewer, default);
            var (outcome, update) = await book.Report(new ReportCommand(r.ReportId, r.TaskId, r.UnitId, r.MetricId, r.Completed, r.Note,
                r.Evidence, r.Correction, r.Reason, item.ReporterRole, item.Reporter, signOff));
            if (outcome.Answer is { } answer)
            {
                _waiting.Remove(item.ReportId);
                try
                {
                    await store.MarkApproved(plan.Id, item.ReportId, decision.ReviewerRole, decision.Reviewer, answer.RecordedAt);
                }
                catch (Exception e)
                {
                    // The report counts (the log holds it); the row's marking is repaired from the log on the next activation.
                    logger.LogWarning(e, "Marking {ReportId} approved failed; the report log already holds it", item.ReportId);
                }
            }
            return (outcome, update);
        }
        finally
        {
            _deciding.Remove(item.ReportId);
        }
    }

    public async Task<SignOffOutcome> Reject(SignOffDecision decision)
    {
        var (item, refusal) = await Decidable(decision);
        if (item is null) return SignOffOutcome.Refused(refusal!.Status, refusal.Field, refusal.Reason);
        try
        {
            var now = clock.GetUtcNow().ToOffset(_offset);
            var reason = decision.Reason!.Trim();
            if (!await store.Reject(plan.Id, item.ReportId, decision.ReviewerRole, decision.Reviewer, reason, now))
            {
                _waiting.Remove(item.ReportId);
                return SignOffOutcome.Refused(409, "reportId", $"报告 {item.ReportId} 已审核，不能再次审核");
            }
            _waiting.Remove(item.ReportId);
            var target = plan.FindAssignment(item.Request.TaskId, item.Request.UnitId, item.Request.MetricId)!.Value.Assignment.Target;
            return new SignOffOutcome(200, SignOffRules.Reject(item, decision.Reviewer, reason, now, decision.ReviewerRole), target, null, null);
        }
        finally
        {
            _deciding.Remove(item.ReportId);
        }
    }

    /// <summary>
    /// The filing a decision is about, when it may be decided so by this reviewer; else why not. A filing returned is
    /// marked as being decided before this returns (no turn can come between), and the caller unmarks it when done.
    /// </summary>
    private async Task<(PendingReport? Item, Refusal? Refusal)> Decidable(SignOffDecision decision)
    {
        if (!plan.Plan.SignOff) return (null, new Refusal(404, "reportId", $"计划 {plan.Id} 未启用填报审核"));
        if (_deciding.Contains(decision.ReportId))
            return (null, new Refusal(409, "reportId", $"报告 {decision.ReportId} 正在审核中，请稍后查看结果"));
        // The store, not only memory: another activation (or a lost marking) may have decided it meanwhile.
        var item = await store.Find(plan.Id, decision.ReportId);
        if (item is null || PlanIndex.OwnerOf(plan.Task(item.Request.TaskId), item.Request.UnitId) != owner)
            return (null, new Refusal(404, "reportId", $"没有待审核的报告 {decision.ReportId}"));
        if (item.State != SignOffState.Pending) _waiting.Remove(item.ReportId);
        if (SignOffRules.CheckDecision(item, decision.Reviewer, decision.Approve, decision.Reason, limits) is { } refusal) return (null, refusal);
        // Checked again after the store's answer: another decision may have begun while this one waited for it.
        if (!_deciding.Add(item.ReportId))
            return (null, new Refusal(409, "reportId", $"报告 {decision.ReportId} 正在审核中，请稍后查看结果"));
        return (item, null);
    }

    /// <summary>A retry of a filing: the row as it stands for the same body, 409 for another.</summary>
    private static SignOffOutcome Retry(PendingReport known, ReportRequest request, long target) =>
        known.Fingerprint == request.Fingerprint()
            ? new SignOffOutcome(202, known, target, null, null, Replayed: true)
            : SignOffOutcome.Refused(409, "reportId", $"报告编号 {request.ReportId} 已用于另一份内容不同的报告");

    /// <summary>A refusal, unless the reportId was filed already (a retry gets its first answer, however things moved).</summary>
    private async Task<SignOffOutcome> FiledOr(ReportRequest request, SignOffOutcome refusal) =>
        await store.Find(plan.Id, request.ReportId) is { } known && known.Fingerprint == request.Fingerprint()
            ? new SignOffOutcome(202, known, TargetOf(known.Request), null, null, Replayed: true) : refusal;

    private long TargetOf(ReportRequest r) => plan.FindAssignment(r.TaskId, r.UnitId, r.MetricId)?.Assignment.Target ?? 0;

    private static SignOffOutcome Refused(Refusal r) => SignOffOutcome.Refused(r.Status, r.Field, r.Reason);
}
