using Minsheng.Grains.Messages;

namespace Minsheng.Grains.ReportLog;

/// <summary>
/// One row of the append-only report log: an accepted report, correction or schedule change, written in one atomic
/// durable write that holds all three things a crash must never split: the fact (the assignment's complete state
/// after it, with its version), the answer a retry gets, and the history line (who, when, note, evidence, reason).
/// Owner state, aggregates, history and as-of views are all derived from these rows.
/// </summary>
public sealed record ReportLogEntry(
    string PlanId,
    string OwnerId,
    LogKind Kind,
    string? ReportId,
    string TaskId,
    string UnitId,
    string MetricId,
    long Version,
    long Completed,
    long Previous,
    DateTimeOffset At,
    string Role,
    string Person,
    string? Fingerprint,
    string? Note,
    IReadOnlyList<string> Evidence,
    bool Correction,
    string? Reason,
    IReadOnlyList<MilestoneMessage>? Milestones,
    DateTimeOffset? LastReportAt,
    DateTimeOffset? DoneAt,
    ReportAnswer? Answer,
    SignOffLine? SignOff = null)
{
    /// <summary>The row's place in its plan's log (acceptance order); set by the log when it is appended.</summary>
    public long Seq { get; init; }

    /// <summary>The assignment's fact after this row.</summary>
    public FactUpdate ToUpdate() => new(TaskId, UnitId, MetricId, Completed, Version, LastReportAt, DoneAt, Milestones);

    /// <summary>The history line of a report or correction.</summary>
    public HistoryEntry ToHistory() =>
        new(ReportId ?? "", MetricId, Completed, Previous, At, Role, Note, Evidence, Correction, Reason, Person, Seq, SignOff);

    /// <summary>The answer a retry of this row's report gets, with the row's place in the log.</summary>
    public ReportAnswer? AnswerWithPosition() => Answer is { } answer ? answer with { Position = Seq } : null;
}

/// <summary>How an append ended.</summary>
public enum AppendStatus
{
    /// <summary>Committed: durable, with its sequence number.</summary>
    Appended,

    /// <summary>The reportId was already in the plan's log; <see cref="AppendResult.Existing"/> is that row.</summary>
    DuplicateReportId,

    /// <summary>Another writer already appended this version of the assignment: this writer's state is stale.</summary>
    VersionTaken,

    /// <summary>
    /// The row's version is n &gt; 1 but the log has no version n − 1 of that assignment, or that version holds another
    /// count than the row says it started from (<see cref="ReportLogEntry.Previous"/>): the writer's state is not the
    /// log's. Refused so that no count stands without the history line before it (in PostgreSQL a foreign key backs
    /// the existence), and no count is built on one the log does not hold (a pipelining owner whose earlier row failed).
    /// </summary>
    PredecessorMissing,
}

public sealed record AppendResult(AppendStatus Status, long Seq, ReportLogEntry? Existing = null);
