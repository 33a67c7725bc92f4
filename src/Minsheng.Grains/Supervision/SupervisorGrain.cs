using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Grains.Aggregates;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;
using Minsheng.Grains.Telemetry;

namespace Minsheng.Grains.Supervision;

/// <summary>
/// Supervises one plan. Its facts come straight from the owners (rebuilt on activation, reconciled before every clock
/// move and every reminder tick, and pushed by the plan grain as reports arrive); its book of statuses, alerts and
/// cases is durable. A reminder keeps it running in real time; the office's clock moves drive it in simulation.
/// </summary>
public sealed class SupervisorGrain(
    [PersistentState(StorageNames.SupervisorState, StorageNames.Facts)] IPersistentState<SupervisionBook> state,
    [PersistentState(StorageNames.SupervisorCasesState, StorageNames.Facts)] IPersistentState<SupervisionCaseBook> casesState,
    PlanCatalog catalog,
    BusinessClock clock,
    IOptions<SupervisionOptions> supervision,
    IOptions<AggregateOptions> aggregates,
    IReportLog log,
    Routing.EventOutbox outbox,
    ILogger<SupervisorGrain> logger,
    Telemetry.GrainMetrics metrics) : AggregateGrain(catalog, aggregates), ISupervisorGrain, IRemindable
{
    internal const string ReminderName = "supervise";
    private SupervisionEngine _engine = null!;

    protected override async Task OnPlanLoaded()
    {
        _engine = new SupervisionEngine(Plan, supervision.Value.ToPolicy(), supervision.Value.LagTolerance);
        // The book in memory is one; storage keeps its statuses and its cases apart. A book stored whole by an older
        // version still has its cases inside: they move to their own record at the first save.
        if (casesState.RecordExists)
        {
            state.State.Cases = casesState.State.Cases;
            state.State.NextCaseNumber = casesState.State.NextCaseNumber;
        }
        var period = supervision.Value.ReminderPeriod;
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
        PublishCases();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Gauges.RemoveCases(Plan.Id);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    private void PublishCases() => metrics.Gauges.SetCases(Plan.Id, new PlanGauges.CaseFigures(
        state.State.Cases.Count(c => c.State == CaseState.Open),
        state.State.Cases.Count(c => c.State == CaseState.Responded)));

    protected override IEnumerable<Task<IReadOnlyList<FactUpdate>>> Sources() => OwnersOf(Plan.AllAssignments).Select(o => o.GetOwnFacts());

    protected override bool Accepts(FactUpdate fact) => Plan.FindTask(fact.TaskId) is not null;

    protected override Task OnChanged(IReadOnlyList<FactUpdate> changed) =>
        Run(clock.GetUtcNow(), changed.Select(f => f.Key()).ToHashSet());

    public async Task AdvanceTo(DateTimeOffset now)
    {
        await Reconcile();
        await Run(now, null);
        // The weekly and monthly reviews are published on the same clock, after the checks of the same instants.
        await GrainFactory.GetGrain<IReviewsGrain>(Plan.Id).CatchUp(now, state.State.Cases.ToList());
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Ticks may repeat or be missed across ownership moves: running up to "now" again changes nothing.
        if (reminderName == ReminderName) await AdvanceTo(clock.GetUtcNow());
    }

    public Task<SupervisionStatus> GetStatus() => Task.FromResult(new SupervisionStatus(
        state.State.ProcessedUntil, state.State.Cases.Count(c => c.IsActive), state.State.Alerts.Count));

    public Task<IReadOnlyList<Alert>> GetAlerts() => Task.FromResult(_engine.Alerts(state.State));

    public Task<IReadOnlyList<SupervisionCase>> GetCases(CaseState? caseState) => Task.FromResult<IReadOnlyList<SupervisionCase>>(
        state.State.Cases.Where(c => caseState is null || c.State == caseState).ToList());

    public Task<SupervisionCase?> GetCase(string caseId) => Task.FromResult(state.State.Cases.FirstOrDefault(c => c.Id == caseId));

    public async Task<CaseOutcome> OpenCase(string taskId, string unitId, string reason, string by)
    {
        if (Plan.FindTask(taskId) is not { } task) return CaseOutcome.Refused(400, "taskId", $"任务“{taskId}”不存在");
        if (task.Assignments.All(a => a.UnitId != unitId)) return CaseOutcome.Refused(400, "unitId", $"单位“{unitId}”在任务 {taskId} 中没有分解任务");
        var now = Now();
        var opened = _engine.OpenManual(state.State, task, unitId, reason, now);
        await Save([new CaseChanged(CaseAction.Opened, opened, now)]);
        return CaseOutcome.Ok(opened, 201);
    }

    public async Task<CaseOutcome> Respond(string caseId, string text, DateOnly promisedDate, string by)
    {
        if (state.State.Cases.FirstOrDefault(c => c.Id == caseId) is not { } found) return CaseOutcome.Refused(404, "caseId", $"督办件“{caseId}”不存在");
        if (!found.IsActive) return CaseOutcome.Refused(409, "caseId", $"督办件 {caseId} 已结案，不能再反馈");
        if (CaseRules.CheckResponse(_engine.Timeline, found, text, promisedDate, supervision.Value.ToCaseLimits()) is { } refusal)
            return CaseOutcome.Refused(refusal.Status, refusal.Field, refusal.Reason);
        var now = Now();
        var answered = SupervisionEngine.Respond(state.State, found, new CaseResponse(text, promisedDate, by, now));
        await Save([new CaseChanged(CaseAction.Responded, answered, now)]);
        return CaseOutcome.Ok(answered);
    }

    public async Task<CaseOutcome> Close(string caseId, string reason, string by)
    {
        if (state.State.Cases.FirstOrDefault(c => c.Id == caseId) is not { } found) return CaseOutcome.Refused(404, "caseId", $"督办件“{caseId}”不存在");
        if (!found.IsActive) return CaseOutcome.Refused(409, "caseId", $"督办件 {caseId} 已结案");
        var now = Now();
        var closed = SupervisionEngine.CloseByOffice(state.State, found, reason, now);
        await Save([new CaseChanged(CaseAction.Closed, closed, now)]);
        return CaseOutcome.Ok(closed);
    }

    private DateTimeOffset Now() => clock.GetUtcNow().ToOffset(_engine.Timeline.Offset);

    private async Task Run(DateTimeOffset now, IReadOnlyCollection<AssignmentKey>? changed)
    {
        // Checkpoints that became due are judged on the report log's facts at each checkpoint's instant, whenever this
        // runs: a report accepted at 09:00:30 is in the ledger already but does not count for that Monday's 09:00.
        var after = state.State.ProcessedUntil ?? _engine.Timeline.Start.AddTicks(-1);
        var due = SupervisionCalendar.Between(_engine.Timeline, supervision.Value.ToPolicy(), after, now);
        // One index read per checkpoint instant (the assignments' rows that stood then), never the plan's whole log.
        var factsAt = due.Count == 0 ? null : await log.FactsAt(Plan, due.Select(c => c.At));
        // Storing only what changed keeps a burst of reports from rewriting the book once per report.
        var run = _engine.AdvanceTo(state.State, Ledger.Facts, now.ToOffset(_engine.Timeline.Offset), changed,
            factsAt is null ? null : at => factsAt[at]);
        if (run.ChangedAnything) await Save(run.Events, statuses: true);
    }

    /// <summary>
    /// Persists what changed: the statuses and alerts (after checkpoints and status changes), the cases (after case
    /// events), or both; never the cases again for a status change, nor the statuses for a case response.
    /// </summary>
    private async Task Save(IReadOnlyList<SupervisionEvent> events, bool statuses = false)
    {
        try
        {
            if (events.Any(e => e is CaseChanged) || !casesState.RecordExists)
            {
                casesState.State.Cases = state.State.Cases;
                casesState.State.NextCaseNumber = state.State.NextCaseNumber;
                await casesState.WriteStateAsync();
            }
            if (statuses)
            {
                var cases = state.State.Cases;
                state.State.Cases = [];
                try
                {
                    await state.WriteStateAsync();
                }
                finally
                {
                    state.State.Cases = cases;
                }
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Saving supervision of {Plan} failed; discarding the activation", Plan.Id);
            DeactivateOnIdle();
            throw;
        }
        PublishCases();
        foreach (var opened in events.OfType<CaseChanged>().Where(c => c.Action == CaseAction.Opened))
            metrics.Escalations.Add(1, GrainMetrics.Tag("plan", Plan.Id), GrainMetrics.Tag("kind", opened.Case.Kind));
        if (events.Count == 0) return;
        outbox.Publish(Plan.Id, events.Select(ToPlanEvent).ToArray());
    }

    private PlanEvent ToPlanEvent(SupervisionEvent e) => e switch
    {
        StatusChanged s => PlanEvents.Create(Plan.Id, PlanEventKind.Status, s, s.At),
        CaseChanged c => PlanEvents.Create(Plan.Id, PlanEventKind.Case, new CaseEventData(c.Action, c.Case), c.At),
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };
}
