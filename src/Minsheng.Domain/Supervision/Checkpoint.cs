namespace Minsheng.Domain.Supervision;

/// <summary>What happens at a checkpoint.</summary>
public enum CheckpointKind
{
    /// <summary>A daily re-evaluation of statuses (00:00), so lagging is noticed without a report.</summary>
    Daily,

    /// <summary>The weekly check (每周晾晒): statuses, lagging streaks, the weekly snapshot.</summary>
    Weekly,

    /// <summary>N days before the deadline: 临近提醒 for everything not done.</summary>
    DeadlineNear,

    /// <summary>The first instant after the deadline: everything not done becomes overdue and gets a case.</summary>
    Deadline,

    /// <summary>The daily digest (每日提醒) at the configured hour, when there is one: each unit's due, at-risk and overdue items and open cases.</summary>
    Digest,
}

/// <summary>A moment at which supervision runs, in time order.</summary>
public readonly record struct Checkpoint(DateTimeOffset At, CheckpointKind Kind, int DaysBefore = 0);
