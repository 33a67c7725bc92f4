using Microsoft.Extensions.Logging;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;
using Minsheng.Grains.Telemetry;

namespace Minsheng.Grains.Owners;

/// <summary>
/// The bookkeeping an owner grain does for its assignments, over the report log: validate, append one row (the fact,
/// the answer and the history line in one atomic durable write), and only then change the in-memory facts and answer.
/// The owner keeps nothing durable of its own: on activation it reads its latest rows from the log. Street and
/// department grains both delegate to it.
/// <para>
/// It pipelines: a report is decided synchronously against the <em>tentative</em> fact (the committed one plus what is
/// in flight), handed to the log with the next version, and its commit awaited while the grain, which is reentrant,
/// decides the next ones, so many reports of one owner share a group commit. Readers see committed facts only; answers
/// and live events go out in commit order, which is acceptance and version order. A commit that fails or times out
/// drops the activation; the rows decided on top of it are refused by the log, whose chain check accepts version n only
/// on top of version n−1 with the count it started from, and fail too. The next activation reads what the log holds.
/// The grain's turns never run concurrently, so none of this needs a lock.
/// </para>
/// </summary>
internal sealed class AssignmentBook(
    IReportLog log,
    PlanIndex plan,
    OwnerRef owner,
    BusinessClock clock,
    SupervisionOptions options,
    ReportLimits limits,
    Routing.EventOutbox events,
    ILogger logger,
    GrainMetrics metrics,
    Action discardActivation)
{
    private readonly PlanTimeline _timeline = PlanTimeline.Of(plan.Plan);
    private readonly Dictionary<AssignmentKey, ProgressFact> _facts = [];
    private readonly InFlight _inFlight = new();
    private readonly RecentReports _recent = new(RecentCapacity);

    /// <summary>How long a report waits for the commit that holds its row before it fails and the activation is dropped.</summary>
    public static readonly TimeSpan DefaultCommitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The commit wait of this book (tests shorten it).</summary>
    public TimeSpan CommitTimeout { get; init; } = DefaultCommitTimeout;

    /// <summary>How many of its latest reportIds an owner answers from memory; older ones are looked up in the log.</summary>
    public const int RecentCapacity = 256;

    /// <summary>The assignments this owner is responsible for.</summary>
    public IEnumerable<AssignmentRef> Owned => owner.Kind == OwnerKind.Street
        ? plan.AssignmentsOfStreet(owner.Id)
        : plan.DistrictAssignmentsOf(owner.Id);

    /// <summary>
    /// Rebuilds the facts from the log: the latest row of each owned assignment metric (every row carries the complete
    /// fact after it), so activation costs one index lookup per assignment, not a replay of the year.
    /// </summary>
    public async Task Load()
    {
        foreach (var row in await log.ReadLatest(plan.Id, Owned.Select(a => a.Key).ToList())) Remember(row);
    }

    /// <summary>How many reportIds this activation answers from memory (bounded by <see cref="RecentCapacity"/>).</summary>
    public int RecentCount => _recent.Count;

    /// <summary>The committed fact of an assignment metric: what readers see.</summary>
    public ProgressFact FactOf(AssignmentKey key) => _facts.GetValueOrDefault(key) ?? ProgressFact.Initial;

    /// <summary>How many decided rows are waiting for their commit.</summary>
    public int InFlightCount => _inFlight.Count;

    /// <summary>The fact the next report of an assignment metric builds on: the last one decided, committed or not.</summary>
    private ProgressFact Tentative(AssignmentKey key) => _inFlight.Latest(key) ?? FactOf(key);

    public IReadOnlyList<FactUpdate> OwnFacts() => Owned.Select(a => a.Key.ToUpdate(FactOf(a.Key))).ToList();

    /// <summary>Handles one report and returns the fact to announce when it was accepted.</summary>
    public async Task<(ReportOutcome Outcome, FactUpdate? Update)> Report(ReportCommand command)
    {
        var decided = await Decide(command);
        Count(command.UnitId, decided.Outcome);
        return decided;
    }

    /// <summary>Counts the owner's decision: accepted (created or replayed) or refused, by unit and reason.</summary>
    private void Count(string unitId, ReportOutcome outcome)
    {
        if (outcome.Answer is not null)
            metrics.ReportsAccepted.Add(1, metrics.Scope.Unit(plan.Id, owner.Kind, unitId, GrainMetrics.Tag("outcome", outcome.Status == 201 ? "created" : "replayed")));
        else
            metrics.ReportsRefused.Add(1, metrics.Scope.Unit(plan.Id, owner.Kind, unitId, GrainMetrics.Tag("reason", ReasonOf(outcome.Field)),
                GrainMetrics.Tag("status", outcome.Status)));
    }

    /// <summary>The field at fault, without list indices (evidence[3] → evidence), so the label stays bounded.</summary>
    private static string ReasonOf(string? field) => field is null ? "body" : field.Split('[')[0];

    private async Task<(ReportOutcome Outcome, FactUpdate? Update)> Decide(ReportCommand command)
    {
        var request = command.ToRequest();
        var fingerprint = request.Fingerprint();
        if (_recent.TryGet(request.ReportId, out var earlier)) return (Replay(earlier, fingerprint), null);
        if (_inFlight.Find(request.ReportId) is { } first) return (await Retry(first, fingerprint), null);

        if (ReportRules.CheckShape(request, plan, limits) is { } shapeRefusal) return (await KnownOr(request.ReportId, fingerprint, Refused(shapeRefusal)), null);
        var task = plan.Task(request.TaskId);
        if (PlanIndex.OwnerOf(task, request.UnitId) != owner)
            return (ReportOutcome.Refused(403, "unitId", $"{owner.Id} 不负责任务 {task.Id} 中单位 {request.UnitId} 的指标"), null);

        var key = new AssignmentKey(request.TaskId, request.UnitId, request.MetricId);
        var current = Tentative(key);
        if (ReportRules.CheckAgainst(request, current) is { } refusal) return (await KnownOr(request.ReportId, fingerprint, Refused(refusal)), null);

        var target = plan.FindAssignment(key.TaskId, key.UnitId, key.MetricId)!.Value.Assignment.Target;
        var now = clock.GetUtcNow().ToOffset(_timeline.Offset);
        var next = ReportRules.Apply(current, target, request.Completed, now);
        var status = StatusRules.Evaluate(_timeline, target, next, now, options.LagTolerance);
        var answer = new ReportAnswer(request.ReportId, key.TaskId, key.UnitId, key.MetricId, next.Completed, target,
            status.Status, next.Version, now);
        var row = new ReportLogEntry(plan.Id, owner.Id, LogKind.Report, request.ReportId, key.TaskId, key.UnitId, key.MetricId,
            next.Version, next.Completed, current.Completed, now, command.By, command.Person ?? command.By, fingerprint,
            request.Note, request.Evidence, request.Correction, request.Reason, Milestones(next), next.LastReportAt, next.DoneAt, answer,
            command.SignOff is { } signOff ? signOff with { ApprovedAt = now } : null);

        var commit = Commit(row, next, fingerprint);
        var appended = await commit;
        if (appended.Status == AppendStatus.DuplicateReportId) return (Duplicate(appended.Existing!, fingerprint), null);
        var committed = row with { Seq = appended.Seq };

        events.Publish(plan.Id, PlanEvents.Create(plan.Id, PlanEventKind.Progress,
            new ProgressEventData(request.ReportId, key.TaskId, key.UnitId, key.MetricId, next.Completed, current.Completed,
                target, status.Status, next.Version, now, request.Correction), now));
        return (ReportOutcome.Created(committed.AnswerWithPosition()!), key.ToUpdate(next) with { AckedAt = DateTimeOffset.UtcNow });
    }

    /// <summary>Stores a validated schedule for one assignment metric, as a new version of its fact.</summary>
    public async Task<FactUpdate> SetSchedule(ScheduleCommand command)
    {
        var key = new AssignmentKey(command.TaskId, command.UnitId, command.MetricId);
        var current = Tentative(key);
        var next = current with
        {
            Version = current.Version + 1,
            Milestones = command.Milestones.Select(m => new Milestone(m.Date, m.Completed)).ToList(),
        };
        var now = clock.GetUtcNow().ToOffset(_timeline.Offset);
        var row = new ReportLogEntry(plan.Id, owner.Id, LogKind.Schedule, null, key.TaskId, key.UnitId, key.MetricId,
            next.Version, next.Completed, current.Completed, now, command.By, command.Person ?? command.By, null,
            null, [], false, null, Milestones(next), next.LastReportAt, next.DoneAt, null);
        await Commit(row, next, null);
        return key.ToUpdate(next);
    }

    /// <summary>
    /// Hands a decided row to the log and waits for its commit, interleaved with the owner's other calls: the row is in
    /// flight (its fact is what the next decision builds on) until the log answers. Appended: the committed fact moves
    /// on. Anything else ends the tentative fact; a failure, a timeout or a version the log refused drops the activation.
    /// </summary>
    private async Task<AppendResult> Commit(ReportLogEntry row, ProgressFact next, string? fingerprint)
    {
        var commit = AppendWithin(row);
        var key = new AssignmentKey(row.TaskId, row.UnitId, row.MetricId);
        _inFlight.Add(key, next, row.ReportId, fingerprint, commit);
        AppendResult result;
        try
        {
            result = await commit;
        }
        catch (Exception e)
        {
            _inFlight.Remove(key, row.ReportId);
            // Nothing was acknowledged, and the log may or may not hold the row: drop this activation so the next
            // call reads what the log really has.
            logger.LogError(e, "Appending {Kind} {ReportId} of {Task}/{Unit} failed; discarding the activation", row.Kind, row.ReportId, row.TaskId, row.UnitId);
            discardActivation();
            throw;
        }
        _inFlight.Remove(key, row.ReportId);
        if (result.Status == AppendStatus.Appended) Remember(row with { Seq = result.Seq });
        else if (result.Status is AppendStatus.VersionTaken or AppendStatus.PredecessorMissing)
        {
            discardActivation();
            throw new InvalidOperationException(result.Status == AppendStatus.VersionTaken
                ? $"Version {row.Version} of {row.TaskId}/{row.UnitId}/{row.MetricId} was written by another activation."
                : $"Version {row.Version} of {row.TaskId}/{row.UnitId}/{row.MetricId} does not follow version {row.Version - 1} in the log.");
        }
        else if (_inFlight.Latest(key) is not null)
        {
            // A duplicate reportId wrote nothing, but reports decided on top of it are in flight: the log will refuse
            // them (their predecessor is missing); this activation's tentative facts are wrong, so it goes.
            discardActivation();
        }
        return result;
    }

    /// <summary>The log's append bounded by <see cref="CommitTimeout"/>; a log that throws at once fails the same way.</summary>
    private Task<AppendResult> AppendWithin(ReportLogEntry row)
    {
        try
        {
            return log.Append(row).WaitAsync(CommitTimeout);
        }
        catch (Exception e)
        {
            return Task.FromException<AppendResult>(e);
        }
    }

    /// <summary>A retry of a report whose commit is still in flight: its answer once committed, or 409 for another body.</summary>
    private async Task<ReportOutcome> Retry(InFlight.Row first, string fingerprint)
    {
        if (first.Fingerprint != fingerprint)
            return ReportOutcome.Refused(409, "reportId", $"报告编号 {first.ReportId} 已用于另一份内容不同的报告");
        var appended = await first.Commit;
        return appended.Status == AppendStatus.Appended && _recent.TryGet(first.ReportId, out var row) ? Replay(row, fingerprint)
            : await log.FindReport(plan.Id, first.ReportId) is { } logged ? Replay(logged, fingerprint)
            : throw new InvalidOperationException($"Report {first.ReportId} was not recorded.");
    }

    /// <summary>
    /// A refusal, unless the reportId is an earlier report no longer among the recent ones: a retry of it gets its first
    /// answer (or 409 for another body) however the count has moved since. Asked of the log only on the refusal path.
    /// </summary>
    private async Task<ReportOutcome> KnownOr(string reportId, string fingerprint, ReportOutcome refusal) =>
        await log.FindReport(plan.Id, reportId) is { } logged ? Duplicate(logged, fingerprint) : refusal;

    /// <summary>The answer to a reportId this book did not hold but the log does.</summary>
    private ReportOutcome Duplicate(ReportLogEntry existing, string fingerprint)
    {
        // The book holds the latest fact of each of its assignments and the rows it appended, so a row of its own that is
        // newer than its fact means it is behind the log (an append that failed after committing, or another activation):
        // answer from the log, and drop this activation before it computes the next version from stale facts.
        var key = new AssignmentKey(existing.TaskId, existing.UnitId, existing.MetricId);
        if (existing.OwnerId == owner.Id && existing.Version > FactOf(key).Version)
        {
            logger.LogWarning("Report {ReportId} of {Task}/{Unit} was already in the log but not in this activation; discarding it",
                existing.ReportId, existing.TaskId, existing.UnitId);
            discardActivation();
        }
        var replay = Replay(existing, fingerprint);
        // The activation that appended this row may have died before its progress event left (a silo killed or frozen
        // between the commit and the outbox): the retry publishes it again, and the plan's events grain drops it when
        // the event is there already (it keeps the latest version per assignment).
        if (replay.Status == 200 && PlanEvents.ProgressOf(existing) is { } progress) events.Publish(plan.Id, progress);
        return replay;
    }

    /// <summary>Takes a committed row into the facts (commits arrive in version order; an older one never overwrites).</summary>
    private void Remember(ReportLogEntry row)
    {
        var key = new AssignmentKey(row.TaskId, row.UnitId, row.MetricId);
        _recent.Add(row);
        if (_facts.TryGetValue(key, out var known) && known.Version >= row.Version) return;
        _facts[key] = new ProgressFact(row.Completed, row.Version, row.LastReportAt, row.DoneAt,
            row.Milestones?.Select(m => new Milestone(m.Date, m.Completed)).ToList());
    }

    private static ReportOutcome Replay(ReportLogEntry earlier, string fingerprint) =>
        earlier.Fingerprint == fingerprint && earlier.AnswerWithPosition() is { } answer
            ? ReportOutcome.Replayed(answer)
            : ReportOutcome.Refused(409, "reportId", $"报告编号 {earlier.ReportId} 已用于另一份内容不同的报告");

    private static List<MilestoneMessage>? Milestones(ProgressFact fact) =>
        fact.Milestones?.Select(m => new MilestoneMessage(m.Date, m.Completed)).ToList();

    private static ReportOutcome Refused(Refusal r) => ReportOutcome.Refused(r.Status, r.Field, r.Reason);
}
