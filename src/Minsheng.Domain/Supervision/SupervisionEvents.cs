using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>Something supervision decided, to announce on the event stream.</summary>
public abstract record SupervisionEvent(DateTimeOffset At);

/// <summary>An assignment metric's status changed.</summary>
public sealed record StatusChanged(string TaskId, string UnitId, string MetricId,
    AssignmentStatus From, AssignmentStatus To, bool Late, DateTimeOffset At)
    : SupervisionEvent(At);

/// <summary>
/// The weekly check's forecast put an assignment metric at risk of missing the deadline at its own pace (the
/// forecastLate alert was raised), or no longer (<see cref="AtRisk"/> false: the alert went, at a weekly check or
/// because the metric was done or overdue).
/// </summary>
public sealed record ForecastChanged(string TaskId, string UnitId, string MetricId, bool AtRisk, Forecasts.Forecast? Forecast, DateTimeOffset At)
    : SupervisionEvent(At);

/// <summary>
/// A 临近提醒 checkpoint (<see cref="DaysBefore"/> days before the deadline) found an assignment metric not done: told
/// once per checkpoint, as a notification (not on the event stream, whose alerts say it already).
/// </summary>
public sealed record DeadlineNearReached(string TaskId, string UnitId, string MetricId, int DaysBefore, long Completed, long Target, DateTimeOffset At)
    : SupervisionEvent(At);

/// <summary>An open case has waited <see cref="Days"/> days for its first response (a notification, told once per case).</summary>
public sealed record CaseResponseOverdue(SupervisionCase Case, int Days, DateTimeOffset At) : SupervisionEvent(At);

/// <summary>The daily digest's moment came: each unit's digest as the book stood then (a notification, made once a day).</summary>
public sealed record DigestReady(IReadOnlyList<UnitDigest> Digests, DateTimeOffset At) : SupervisionEvent(At);

/// <summary>A case was opened, answered or closed.</summary>
public sealed record CaseChanged(CaseAction Action, SupervisionCase Case, DateTimeOffset At) : SupervisionEvent(At);

/// <summary>
/// What one run of supervision did: the events to announce and how many checkpoints it processed. A run with neither
/// changed nothing that must be stored (replaying the same span again decides the same).
/// </summary>
public sealed record SupervisionRun(IReadOnlyList<SupervisionEvent> Events, int Checkpoints)
{
    public bool ChangedAnything => Events.Count > 0 || Checkpoints > 0;
}
