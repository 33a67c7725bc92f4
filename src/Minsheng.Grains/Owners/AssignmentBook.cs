using Microsoft.Extensions.Logging;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
using Minsheng.Grains.State;

namespace Minsheng.Grains.Owners;

/// <summary>
/// The bookkeeping an owner grain does for its assignments: idempotent report handling, durable recording before
/// the answer, and the progress messages that follow. Street and department grains both delegate to it.
/// </summary>
internal sealed class AssignmentBook(
    IPersistentState<OwnerState> state,
    PlanIndex plan,
    OwnerRef owner,
    BusinessClock clock,
    SupervisionOptions options,
    IGrainFactory grains,
    ILogger logger,
    Action discardActivation)
{
    private readonly PlanTimeline _timeline = PlanTimeline.Of(plan.Plan);

    /// <summary>The assignments this owner is responsible for.</summary>
    public IEnumerable<AssignmentRef> Owned => owner.Kind == OwnerKind.Street
        ? plan.AssignmentsOfStreet(owner.Id)
        : plan.DistrictAssignmentsOf(owner.Id);

    public ProgressFact FactOf(AssignmentKey key) =>
        state.State.Assignments.TryGetValue(key.StorageKey(), out var r) ? r.ToFact() : ProgressFact.Initial;

    public IReadOnlyList<FactUpdate> OwnFacts() => Owned.Select(a => a.Key.ToUpdate(FactOf(a.Key))).ToList();

    /// <summary>
    /// Handles one report and returns the fact to announce when it was accepted. A repeat of an assignment's last
    /// report is answered as before; the plan-wide uniqueness of reportIds is the <c>ReportClaimGrain</c>'s job.
    /// </summary>
    public async Task<(ReportOutcome Outcome, FactUpdate? Update)> Report(ReportCommand command)
    {
        var request = command.ToRequest();
        var fingerprint = request.Fingerprint();
        if (state.State.Assignments.TryGetValue(new AssignmentKey(request.TaskId, request.UnitId, request.MetricId).StorageKey(), out var last)
            && last.LastReport is { } stored && stored.Answer.ReportId == request.ReportId)
        {
            return stored.Fingerprint == fingerprint
                ? (ReportOutcome.Replayed(stored.Answer, stored.Entry), null)
                : (ReportOutcome.Refused(409, "reportId", $"报告编号 {command.ReportId} 已用于另一份内容不同的报告"), null);
        }

        if (ReportRules.CheckShape(request, plan, ReportLimits.Default) is { } shapeRefusal)
            return (Refused(shapeRefusal), null);
        var task = plan.Task(request.TaskId);
        if (PlanIndex.OwnerOf(task, request.UnitId) != owner)
            return (ReportOutcome.Refused(403, "unitId", $"{owner.Id} 不负责任务 {task.Id} 中单位 {request.UnitId} 的指标"), null);

        var key = new AssignmentKey(request.TaskId, request.UnitId, request.MetricId);
        var current = FactOf(key);
        if (ReportRules.CheckAgainst(request, current) is { } refusal)
            return (Refused(refusal), null);

        var target = plan.FindAssignment(key.TaskId, key.UnitId, key.MetricId)!.Value.Assignment.Target;
        var now = clock.GetUtcNow().ToOffset(_timeline.Offset);
        var next = ReportRules.Apply(current, target, request.Completed, now);
        var status = StatusRules.Evaluate(_timeline, target, next, now, options.LagTolerance);
        var answer = new ReportAnswer(request.ReportId, key.TaskId, key.UnitId, key.MetricId, next.Completed, target,
            status.WireName, next.Version, now);

        var record = state.State.Assignments.TryGetValue(key.StorageKey(), out var r) ? r : new AssignmentRecord();
        record.Completed = next.Completed;
        record.Version = next.Version;
        record.LastReportAt = next.LastReportAt;
        record.DoneAt = next.DoneAt;
        var entry = new HistoryEntry(request.ReportId, key.MetricId, next.Completed, current.Completed, now,
            command.By, request.Note, request.Evidence, request.Correction, request.Reason);
        record.LastReport = new StoredReport(fingerprint, answer, entry);
        state.State.Assignments[key.StorageKey()] = record;

        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Nothing was acknowledged. Storage may or may not hold the write: drop this activation so the next call
            // starts from what storage really has (and its current ETag), whatever the failure was.
            logger.LogError(e, "Recording report {ReportId} failed; discarding the activation", request.ReportId);
            discardActivation();
            throw;
        }

        grains.Publish(plan.Id, PlanEvents.Create(plan.Id, "progress",
            new ProgressEventData(request.ReportId, key.TaskId, key.UnitId, key.MetricId, next.Completed, current.Completed,
                target, status.WireName, next.Version, now, request.Correction), now));
        return (ReportOutcome.Created(answer, entry), key.ToUpdate(next));
    }


    /// <summary>Stores a validated schedule for one assignment metric, as a new version of its fact.</summary>
    public async Task<FactUpdate> SetSchedule(ScheduleCommand command)
    {
        var key = new AssignmentKey(command.TaskId, command.UnitId, command.MetricId);
        var record = state.State.Assignments.TryGetValue(key.StorageKey(), out var r) ? r : new AssignmentRecord();
        record.Milestones = [.. command.Milestones];
        record.Version++;
        state.State.Assignments[key.StorageKey()] = record;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Recording the schedule of {Assignment} failed; discarding the activation", key);
            discardActivation();
            throw;
        }
        return key.ToUpdate(record.ToFact());
    }

    private static ReportOutcome Refused(Refusal r) => ReportOutcome.Refused(r.Status, r.Field, r.Reason);
}
