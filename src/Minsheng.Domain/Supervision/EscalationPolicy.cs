namespace Minsheng.Domain.Supervision;

/// <summary>The configurable rules of supervision: tolerance, reminders before the deadline, weekly checks, cases.</summary>
public sealed record EscalationPolicy
{
    /// <summary>Days before the deadline at which every assignment not done gets a 临近提醒 (deadlineNear) alert.</summary>
    public IReadOnlyList<int> DeadlineNearDays { get; init; } = [30, 7];

    /// <summary>The weekly check (每周晾晒): Monday 09:00 in the plan's offset.</summary>
    public DayOfWeek WeeklyDay { get; init; } = DayOfWeek.Monday;

    public TimeOnly WeeklyTime { get; init; } = new(9, 0);

    /// <summary>Weekly checks in a row an assignment must be found lagging before a case (个案督办) opens for it.</summary>
    public int LaggingWeeksForCase { get; init; } = 4;

    /// <summary>When each day's digest is made (null: none; the service's settings give 08:00).</summary>
    public TimeOnly? DigestTime { get; init; }

    /// <summary>Days an open case may wait for its first response (承办反馈) before caseResponseOverdue is told.</summary>
    public int CaseResponseDays { get; init; } = 3;

    public static EscalationPolicy Default { get; } = new();
}
