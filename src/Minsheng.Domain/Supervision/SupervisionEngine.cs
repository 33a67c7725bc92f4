using Minsheng.Domain.Forecasts;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>
/// Runs supervision over a plan: statuses, alerts, lagging streaks and cases, at every checkpoint in time order.
/// Every decision is a function of the facts and the instant, and every case is opened at most once per assignment
/// and kind, so running it again, in one big step or many small ones, changes nothing more.
/// </summary>
public sealed class SupervisionEngine(PlanIndex plan, EscalationPolicy policy, decimal lagTolerance)
{
    private readonly PlanTimeline _timeline = PlanTimeline.Of(plan.Plan);
    private readonly SupervisionRows _index = new(plan);

    public PlanTimeline Timeline => _timeline;

    /// <summary>How long after its moment a daily digest is still made (and sent).</summary>
    public static readonly TimeSpan DigestNewsFor = TimeSpan.FromDays(1);

    /// <summary>
    /// Processes every checkpoint up to <paramref name="now"/> in time order, then re-evaluates at <paramref name="now"/>
    /// the assignments in <paramref name="changed"/> (those a report or schedule just changed). Time alone changes
    /// statuses only at checkpoints, so the outcome depends on the facts and the checkpoints, never on how often or in
    /// what steps the clock was moved.
    /// </summary>
    /// <param name="factsAt">
    /// The facts as they stood at an instant. Each checkpoint is judged on the facts at its own instant, so a report
    /// accepted after Monday 09:00 never counts for that Monday, even when the check runs later (after downtime, or a
    /// reminder that fired late). Without it, every checkpoint sees <paramref name="facts"/>.
    /// </param>
    public SupervisionRun AdvanceTo(SupervisionBook book, IReadOnlyDictionary<AssignmentKey, ProgressFact> facts,
        DateTimeOffset now, IReadOnlyCollection<AssignmentKey>? changed = null,
        Func<DateTimeOffset, IReadOnlyDictionary<AssignmentKey, ProgressFact>>? factsAt = null)
    {
        var events = new List<SupervisionEvent>();
        var from = book.ProcessedUntil ?? _timeline.Start.AddTicks(-1);
        var checkpoints = SupervisionCalendar.Between(_timeline, policy, from, now);
        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.Kind == CheckpointKind.Digest)
            {
                // A digest is news for a day: a catch-up after downtime (or a first start late in the year) makes only
                // the digests still worth sending, not one for every day it passes.
                if (now - checkpoint.At < DigestNewsFor)
                    events.Add(new DigestReady(Digests(book, factsAt?.Invoke(checkpoint.At) ?? facts, checkpoint.At), checkpoint.At));
                continue;
            }
            if (checkpoint.Kind == CheckpointKind.Daily) TellCasesWaitingForResponse(book, checkpoint.At, events);
            // The weekly check also forecasts each assignment from its pace: the facts at the check and a window before.
            var window = checkpoint.Kind == CheckpointKind.Weekly && factsAt is not null ? factsAt(checkpoint.At - ForecastRules.Window) : null;
            Evaluate(book, factsAt?.Invoke(checkpoint.At) ?? facts, checkpoint.At, checkpoint, _index.All, events, window);
        }
        var at = book.ProcessedUntil is { } done && done > now ? done : now;
        if (changed is { Count: > 0 })
            // Only the assignments a report or schedule changed, looked up by key rather than found by a scan.
            Evaluate(book, facts, at, null, _index.Of(changed), events);
        book.ProcessedUntil = at;
        return new SupervisionRun(events, checkpoints.Count);
    }

    /// <summary>Opens a case by hand (the office).</summary>
    public SupervisionCase OpenManual(SupervisionBook book, PlanTask task, string unitId, string reason, DateTimeOffset at) =>
        Open(book, task, unitId, CaseKind.Manual, reason, at);

    /// <summary>Alerts as the contract lists them: level 2 for overdue and for anything under an open case.</summary>
    public IReadOnlyList<Alert> Alerts(SupervisionBook book)
    {
        var underCase = book.Cases.Where(c => c.IsActive).Select(c => $"{c.TaskId}/{c.UnitId}").ToHashSet(StringComparer.Ordinal);
        return book.Alerts.Values
            .Select(a => a with { Level = a.Kind == AlertKind.Overdue || underCase.Contains($"{a.TaskId}/{a.UnitId}") ? 2 : 1 })
            .OrderByDescending(a => a.Level).ThenBy(a => a.Since).ThenBy(a => a.TaskId, StringComparer.Ordinal).ThenBy(a => a.UnitId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The instants whose facts <see cref="AdvanceTo"/> asks <c>factsAt</c> for when it runs <paramref name="checkpoints"/>:
    /// each checkpoint's, and for a weekly one also the start of its forecast window.
    /// </summary>
    public static IEnumerable<DateTimeOffset> FactInstants(IEnumerable<Checkpoint> checkpoints) =>
        checkpoints.SelectMany(c => c.Kind == CheckpointKind.Weekly ? [c.At, c.At - ForecastRules.Window] : new[] { c.At });

    private void Evaluate(SupervisionBook book, IReadOnlyDictionary<AssignmentKey, ProgressFact> facts, DateTimeOffset at,
        Checkpoint? checkpoint, IReadOnlyList<int> rows, List<SupervisionEvent> events,
        IReadOnlyDictionary<AssignmentKey, ProgressFact>? windowStart = null)
    {
        // Statuses judged in this pass, by row; the groups (task, unit) they touch, in the order first touched.
        var judged = new AssignmentStatus?[_index.Rows.Length];
        var groups = new List<int>();
        var touched = new bool[_index.Groups.Length];
        foreach (var i in rows)
        {
            var row = _index.Rows[i];
            var fact = facts.GetValueOrDefault(row.Key) ?? ProgressFact.Initial;
            var verdict = StatusRules.Evaluate(_timeline, row.Ref.Assignment.Target, fact, at, lagTolerance);
            judged[i] = verdict.Status;
            var previous = book.Statuses.GetValueOrDefault(row.KeyText, AssignmentStatus.OnTrack);
            if (previous != verdict.Status)
                events.Add(new StatusChanged(row.Ref.Task.Id, row.Ref.Assignment.UnitId, row.Ref.Assignment.MetricId, previous, verdict.Status, verdict.Late, at));
            book.Statuses[row.KeyText] = verdict.Status;
            UpdateAlerts(book, row, verdict, at, checkpoint);
            if (checkpoint is { Kind: CheckpointKind.DeadlineNear } && verdict.Status is not (AssignmentStatus.Done or AssignmentStatus.Overdue))
                events.Add(new DeadlineNearReached(row.Ref.Task.Id, row.Ref.Assignment.UnitId, row.Ref.Assignment.MetricId, checkpoint.Value.DaysBefore,
                    fact.Completed, row.Ref.Assignment.Target, at));
            UpdateForecastAlert(book, row, fact, verdict, at, windowStart, events);
            if (!touched[row.Group])
            {
                touched[row.Group] = true;
                groups.Add(row.Group);
            }
        }

        var cases = CaseIndex.Of(book);
        foreach (var g in groups)
        {
            var group = _index.Groups[g];
            var (task, unitId) = (group.Task, group.UnitId);
            var anyOverdue = false;
            var anyLagging = false;
            var allDone = true;
            foreach (var m in group.Members)
            {
                var status = judged[m] ?? book.Statuses.GetValueOrDefault(_index.Rows[m].KeyText, AssignmentStatus.OnTrack);
                anyOverdue |= status == AssignmentStatus.Overdue;
                anyLagging |= status == AssignmentStatus.Lagging;
                allDone &= status == AssignmentStatus.Done;
            }
            if (allDone)
            {
                if (cases.AnyActive(group.Text))
                    foreach (var c in book.Cases.Where(c => c.IsActive && c.TaskId == task.Id && c.UnitId == unitId).ToList())
                        Close(book, c, "任务已完成，自动结案", at, events);
                book.LaggingStreaks.Remove(group.Text);
                continue;
            }
            if (anyOverdue && !cases.Has(group.Text, CaseKind.Overdue))
                events.Add(new CaseChanged(CaseAction.Opened, Open(book, cases, task, unitId, CaseKind.Overdue, "截止时间已过仍未完成（11月前全面完成）", at), at));
            if (checkpoint is { Kind: CheckpointKind.Weekly })
            {
                var streak = anyLagging ? book.LaggingStreaks.GetValueOrDefault(group.Text) + 1 : 0;
                book.LaggingStreaks[group.Text] = streak;
                if (streak >= policy.LaggingWeeksForCase && !cases.Has(group.Text, CaseKind.Lagging))
                    events.Add(new CaseChanged(CaseAction.Opened, Open(book, cases, task, unitId, CaseKind.Lagging, $"连续 {streak} 次周检滞后于计划进度", at), at));
            }
        }
    }

    private static void UpdateAlerts(SupervisionBook book, SupervisionRow row, StatusVerdict verdict, DateTimeOffset at, Checkpoint? checkpoint)
    {
        var a = row.Ref;
        void Remove(AlertKind kind) => book.Alerts.Remove(row.AlertKey(kind));
        void Ensure(AlertKind kind, DateTimeOffset since)
        {
            var key = row.AlertKey(kind);
            if (!book.Alerts.TryGetValue(key, out var standing))
                book.Alerts[key] = new Alert(a.Task.Id, a.Assignment.UnitId, a.Assignment.MetricId, verdict.Status, kind,
                    kind == AlertKind.Overdue ? 2 : 1, since);
            else if (standing.Status != verdict.Status)
                book.Alerts[key] = standing with { Status = verdict.Status };
        }

        switch (verdict.Status)
        {
            case AssignmentStatus.Done:
                Remove(AlertKind.Lagging); Remove(AlertKind.DeadlineNear); Remove(AlertKind.Overdue);
                return;
            case AssignmentStatus.Overdue:
                Remove(AlertKind.Lagging); Remove(AlertKind.DeadlineNear);
                Ensure(AlertKind.Overdue, at);
                return;
            case AssignmentStatus.Lagging:
                Ensure(AlertKind.Lagging, at);
                break;
            default:
                Remove(AlertKind.Lagging);
                break;
        }
        if (checkpoint is { Kind: CheckpointKind.DeadlineNear }) Ensure(AlertKind.DeadlineNear, at);
        else if (book.Alerts.ContainsKey(row.AlertKey(AlertKind.DeadlineNear))) Ensure(AlertKind.DeadlineNear, at);
    }

    /// <summary>
    /// The forecastLate alert: judged at weekly checks (with the facts a window before), kept until the next one says
    /// otherwise; gone at once when the assignment is done or overdue (the overdue alert takes over).
    /// </summary>
    private void UpdateForecastAlert(SupervisionBook book, SupervisionRow row, ProgressFact fact, StatusVerdict verdict, DateTimeOffset at,
        IReadOnlyDictionary<AssignmentKey, ProgressFact>? windowStart, List<SupervisionEvent> events)
    {
        var key = row.AlertKey(AlertKind.ForecastLate);
        var (task, unit, metric) = (row.Ref.Task.Id, row.Ref.Assignment.UnitId, row.Ref.Assignment.MetricId);
        if (verdict.Status is AssignmentStatus.Done or AssignmentStatus.Overdue)
        {
            if (book.Alerts.Remove(key)) events.Add(new ForecastChanged(task, unit, metric, false, null, at));
            return;
        }
        if (windowStart is null)
        {
            if (book.Alerts.TryGetValue(key, out var standing) && standing.Status != verdict.Status) book.Alerts[key] = standing with { Status = verdict.Status };
            return;
        }
        long? start = windowStart.TryGetValue(row.Key, out var then) && then.LastReportAt is not null ? then.Completed : null;
        var forecast = ForecastRules.Of(new ForecastInput(row.Ref.Assignment.Target, fact.Completed, fact.LastReportAt is not null, fact.DoneAt, start),
            _timeline, at);
        if (!forecast.AtRisk)
        {
            if (book.Alerts.Remove(key)) events.Add(new ForecastChanged(task, unit, metric, false, forecast, at));
        }
        else if (!book.Alerts.TryGetValue(key, out var standing))
        {
            book.Alerts[key] = new Alert(task, unit, metric, verdict.Status, AlertKind.ForecastLate, 1, at);
            events.Add(new ForecastChanged(task, unit, metric, true, forecast, at));
        }
        else if (standing.Status != verdict.Status) book.Alerts[key] = standing with { Status = verdict.Status };
    }

    /// <summary>
    /// At a daily check: each open case that has had no response for <see cref="EscalationPolicy.CaseResponseDays"/> days
    /// is told once (caseResponseOverdue).
    /// </summary>
    private void TellCasesWaitingForResponse(SupervisionBook book, DateTimeOffset at, List<SupervisionEvent> events)
    {
        foreach (var c in book.Cases)
        {
            if (c.State != CaseState.Open || c.Responses.Count > 0 || book.ResponseOverdueTold?.Contains(c.Id) == true) continue;
            if (at < c.OpenedAt.AddDays(policy.CaseResponseDays)) continue;
            (book.ResponseOverdueTold ??= []).Add(c.Id);
            events.Add(new CaseResponseOverdue(c, policy.CaseResponseDays, at));
        }
    }

    /// <summary>Every street's and lead department's digest as the book and the facts stand at <paramref name="at"/>.</summary>
    private IReadOnlyList<UnitDigest> Digests(SupervisionBook book, IReadOnlyDictionary<AssignmentKey, ProgressFact> facts, DateTimeOffset at)
    {
        var date = _timeline.DateOf(at);
        var days = _timeline.DateOf(_timeline.Deadline).DayNumber - date.DayNumber;
        var active = book.Cases.Where(c => c.IsActive).ToList();
        UnitDigest Of(string unitId, Func<SupervisionRow, bool> mine, Func<SupervisionCase, bool> concerns)
        {
            var due = new List<DigestItem>();
            var atRisk = new List<DigestItem>();
            var overdue = new List<DigestItem>();
            foreach (var row in _index.Rows)
            {
                if (!mine(row)) continue;
                var status = book.Statuses.GetValueOrDefault(row.KeyText, AssignmentStatus.OnTrack);
                if (status == AssignmentStatus.Done) continue;
                var fact = facts.GetValueOrDefault(row.Key) ?? ProgressFact.Initial;
                var item = new DigestItem(row.Ref.Task.Id, row.Ref.Assignment.UnitId, row.Ref.Assignment.MetricId, fact.Completed, row.Ref.Assignment.Target, status);
                if (status == AssignmentStatus.Overdue) overdue.Add(item);
                else due.Add(item);
                if (book.Alerts.ContainsKey(row.AlertKey(AlertKind.ForecastLate))) atRisk.Add(item);
            }
            return new UnitDigest(unitId, date, days, due, atRisk, overdue, active.Where(concerns).ToList());
        }
        var digests = new List<UnitDigest>();
        foreach (var street in plan.Plan.Streets)
            digests.Add(Of(street.Id, r => r.Ref.Assignment.UnitId == street.Id, c => c.UnitId == street.Id));
        foreach (var department in plan.Plan.Departments)
            digests.Add(Of(department.Id, r => r.Ref.Task.LeadDepartment == department.Id, c => c.AddressedTo.Contains(department.Id)));
        return digests;
    }

    private SupervisionCase Open(SupervisionBook book, CaseIndex cases, PlanTask task, string unitId, CaseKind kind, string reason, DateTimeOffset at)
    {
        var opened = Open(book, task, unitId, kind, reason, at);
        cases.Add(opened);
        return opened;
    }

    private SupervisionCase Open(SupervisionBook book, PlanTask task, string unitId, CaseKind kind, string reason, DateTimeOffset at)
    {
        var addressed = new List<string> { task.LeadDepartment };
        addressed.AddRange(plan.Project(task.ProjectId).Leaders);
        var opened = new SupervisionCase($"C{book.NextCaseNumber++:D4}", task.Id, unitId, kind, CaseState.Open, at, reason, addressed, []);
        book.Cases.Add(opened);
        return opened;
    }

    private static void Close(SupervisionBook book, SupervisionCase c, string reason, DateTimeOffset at, List<SupervisionEvent> events)
    {
        var closed = c with { State = CaseState.Closed, ClosedAt = at, ClosedReason = reason };
        book.Cases[book.Cases.IndexOf(c)] = closed;
        events.Add(new CaseChanged(CaseAction.Closed, closed, at));
    }

    /// <summary>Records the lead department's answer; the case becomes <c>responded</c>.</summary>
    public static SupervisionCase Respond(SupervisionBook book, SupervisionCase c, CaseResponse response)
    {
        var answered = c with { State = CaseState.Responded, Responses = [.. c.Responses, response] };
        book.Cases[book.Cases.IndexOf(c)] = answered;
        return answered;
    }

    /// <summary>Closes a case by hand (the office).</summary>
    public static SupervisionCase CloseByOffice(SupervisionBook book, SupervisionCase c, string reason, DateTimeOffset at)
    {
        var closed = c with { State = CaseState.Closed, ClosedAt = at, ClosedReason = reason };
        book.Cases[book.Cases.IndexOf(c)] = closed;
        return closed;
    }
}
