using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Notifications;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Grains.Aggregates;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;
using Minsheng.Grains.Telemetry;

namespace Minsheng.Grains.Supervision;

/// <summary>
/// Supervises one plan. Checkpoints judge the report log's facts at their own instants; between them the plan grain
/// pushes each change so a report re-evaluates its assignment at once (the owners' facts are pulled only when a reader
/// waits for a version or after pushes, never to wake up). Its book of statuses, alerts and cases is durable. The one
/// supervision schedule (<see cref="ISupervisionScheduleGrain"/>) wakes it at its next instant, in real time and when
/// the office moves the simulated clock; nothing else keeps it active.
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
    Telemetry.GrainMetrics metrics,
    Notifications.INotificationStore notifications,
    IServiceProvider services) : AggregateGrain(catalog, aggregates), ISupervisorGrain, IRemindable
{
    /// <summary>The reminder each supervisor kept before the one schedule; an old one still stored is removed when it fires.</summary>
    internal const string LegacyReminderName = "supervise";
    private SupervisionEngine _engine = null!;
    private ReviewCalendar _reviews = null!;
    private NoticeBuilder _notices = null!;

    /// <summary>Woken by the schedule, a supervisor judges checkpoints on the log: it pulls the owners' facts only when asked.</summary>
    protected override bool RebuildsOnActivation => false;

    protected override Task OnPlanLoaded()
    {
        _engine = new SupervisionEngine(Plan, supervision.Value.ToPolicy(), supervision.Value.LagTolerance);
        // The book in memory is one; storage keeps its statuses and its cases apart. A book stored whole by an older
        // version still has its cases inside: they move to their own record at the first save.
        if (casesState.RecordExists)
        {
            state.State.Cases = casesState.State.Cases;
            state.State.NextCaseNumber = casesState.State.NextCaseNumber;
        }
        _reviews = new ReviewCalendar(_engine.Timeline, services.GetService<ReviewOptions>() ?? ReviewOptions.Default);
        _notices = new NoticeBuilder(Plan);
        PublishCases();
        // Notices stored with their cause but not handed on before the last activation ended (the store takes them once).
        return HandOverNotices();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Gauges.RemoveCases(Plan.Id);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    private void PublishCases() => metrics.Gauges.SetCases(Plan.Id, new PlanGauges.CaseFigures(
        state.State.Cases.Count(c => c.State == CaseState.Open),
        state.State.Cases.Count(c => c.State == CaseState.Responded)));

    protected override IEnumerable<Task<IReadOnlyList<FactUpdate>>> Sources() => [FromLog(log, Plan.AllAssignments)];

    protected override bool Accepts(FactUpdate fact) => Plan.FindTask(fact.TaskId) is not null;

    protected override Task OnChanged(IReadOnlyList<FactUpdate> changed) =>
        Run(clock.GetUtcNow(), changed.Select(f => f.Key()).ToHashSet());

    public async Task<DateTimeOffset?> AdvanceTo(DateTimeOffset now)
    {
        // Every report the log holds by now is judged, though its push may still be on its way: one index read of the
        // plan's current rows (the owners are not woken). The due checkpoints come first, each on the facts of its instant.
        var changed = Absorb(await log.UpdatesAsOf(Plan, now));
        await Run(now, changed.Select(f => f.Key()).ToHashSet());
        // The weekly and monthly reviews are published on the same clock, after the checks of the same instants.
        var reviews = GrainFactory.GetGrain<IReviewsGrain>(Plan.Id);
        if (_reviews.NextAfter(_reviewedUntil ?? DateTimeOffset.MinValue) is { } nextReview && nextReview <= now)
            await reviews.CatchUp(now, state.State.Cases.ToList());
        _reviewedUntil = now;
        return NextDue(now);
    }

    /// <summary>Up to when this activation has had the reviews caught up (a fresh activation asks once).</summary>
    private DateTimeOffset? _reviewedUntil;

    /// <summary>The next checkpoint or review after <paramref name="now"/>: when the schedule wakes this plan again.</summary>
    private DateTimeOffset? NextDue(DateTimeOffset now) =>
        new[] { SupervisionCalendar.NextAfter(_engine.Timeline, supervision.Value.ToPolicy(), now), _reviews.NextAfter(now) }.Min();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // A reminder of the per-plan design before the one schedule: it is not needed any more.
        if (await this.GetReminder(reminderName) is { } legacy) await this.UnregisterReminder(legacy);
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
        // The facts at every due instant, read incrementally (AsOfFacts), never the plan's whole log.
        var factsAt = due.Count == 0 ? null : await log.FactsAt(Plan, SupervisionEngine.FactInstants(due));
        Func<DateTimeOffset, IReadOnlyDictionary<AssignmentKey, ProgressFact>>? at = factsAt is null ? null : instant => factsAt[instant];
        // A long catch-up (a first start after a year) runs a batch of checkpoints per turn, so no turn holds the silo's
        // scheduler for seconds; the book is stored once at the end. Storing only what changed keeps a burst of reports
        // from rewriting the book once per report.
        var events = new List<SupervisionEvent>();
        var checkpoints = 0;
        for (var i = CheckpointsPerTurn - 1; i < due.Count - 1; i += CheckpointsPerTurn)
        {
            var part = _engine.AdvanceTo(state.State, Ledger.Facts, due[i].At, null, at);
            (events, checkpoints) = ([.. events, .. part.Events], checkpoints + part.Checkpoints);
            await Task.Yield();
        }
        var run = _engine.AdvanceTo(state.State, Ledger.Facts, now.ToOffset(_engine.Timeline.Offset), changed, at);
        if (run.ChangedAnything || checkpoints > 0) await Save([.. events, .. run.Events], statuses: true, runTo: now);
    }

    /// <summary>Checkpoints judged in one turn of a catch-up (a month of daily checks and its weekly ones).</summary>
    private const int CheckpointsPerTurn = 36;

    /// <summary>
    /// Persists what changed: the statuses and alerts (after checkpoints and status changes), the cases (after case
    /// events), or both; never the cases again for a status change, nor the statuses for a case response.
    /// </summary>
    /// <param name="runTo">The instant the run advanced to: a digest is news against it (the clock may have moved on since).</param>
    private async Task Save(IReadOnlyList<SupervisionEvent> events, bool statuses = false, DateTimeOffset? runTo = null)
    {
        // The outbox: each notice goes into the record that stores its cause (a case's into the cases, a check's into the
        // statuses), so the write that stores the cause stores its notice; both are handed on after it.
        var notices = await Notices(events, runTo ?? Now());
        var caseNotices = notices.Where(n => n.Kind == NoticeKind.CaseOpened).ToList();
        if (caseNotices.Count > 0) (casesState.State.PendingNotices ??= []).AddRange(caseNotices);
        if (statuses && notices.Count > caseNotices.Count) (state.State.PendingNotices ??= []).AddRange(notices.Except(caseNotices));
        try
        {
            if (events.Any(e => e is CaseChanged) || !casesState.RecordExists || caseNotices.Count > 0)
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
        await HandOverNotices();
        foreach (var opened in events.OfType<CaseChanged>().Where(c => c.Action == CaseAction.Opened))
            metrics.Escalations.Add(1, metrics.Scope.Plan(Plan.Id, GrainMetrics.Tag("kind", opened.Case.Kind)));
        var live = events.Select(ToPlanEvent).OfType<PlanEvent>().ToArray();
        if (live.Length > 0) outbox.Publish(Plan.Id, live);
    }

    /// <summary>The live event of a supervision event; null for those told only as notifications.</summary>
    private PlanEvent? ToPlanEvent(SupervisionEvent e) => e switch
    {
        StatusChanged s => PlanEvents.Create(Plan.Id, PlanEventKind.Status, s, s.At),
        CaseChanged c => PlanEvents.Create(Plan.Id, PlanEventKind.Case, new CaseEventData(c.Action, c.Case), c.At),
        ForecastChanged f => PlanEvents.Create(Plan.Id, PlanEventKind.Forecast, f, f.At),
        _ => null,
    };

    /// <summary>
    /// The notices of <paramref name="events"/>. Digests only for the units a subscription asks for, and only while they
    /// are news (made within a day of now: a catch-up after downtime does not send a digest for every day missed).
    /// </summary>
    private async Task<IReadOnlyList<Notice>> Notices(IReadOnlyList<SupervisionEvent> events, DateTimeOffset now)
    {
        if (!events.Any(NoticeBuilder.MakesNotice)) return [];
        // Nobody subscribed, nobody to tell: a subscription made later starts after the plan's latest notice anyway, so
        // skipping changes nothing it would receive (and a year's catch-up on a first start writes no notices).
        var subscriptions = await notifications.List(Plan.Id);
        if (subscriptions.Count == 0) return [];
        var notices = _notices.FromSupervision(events);
        if (notices.All(n => n.Kind != NoticeKind.Digest)) return notices;
        var wanted = subscriptions.Where(s => s.Events.Contains(NoticeKind.Digest)).ToList();
        var all = wanted.Any(s => s.Units.Count == 0);
        var units = wanted.SelectMany(s => s.Units).ToHashSet(StringComparer.Ordinal);
        return notices.Where(n => n.Kind != NoticeKind.Digest
            || (now - n.At < SupervisionEngine.DigestNewsFor && (all || n.Units.Any(units.Contains)))).ToList();
    }

    /// <summary>
    /// Hands the notices stored in the book to the notification store (which keeps each once) and forgets them; the
    /// next write of the book drops them. A store that fails keeps them here for the next save or activation.
    /// </summary>
    private async Task HandOverNotices()
    {
        var pending = (state.State.PendingNotices ?? []).Concat(casesState.State.PendingNotices ?? []).DistinctBy(n => n.Id).ToList();
        if (pending.Count == 0) return;
        try
        {
            await notifications.Append(Plan.Id, pending.OrderBy(n => n.At).ToList());
            state.State.PendingNotices = null;
            casesState.State.PendingNotices = null;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Handing {Count} notices of {Plan} to the notification store failed; kept for the next try", pending.Count, Plan.Id);
        }
    }
}
