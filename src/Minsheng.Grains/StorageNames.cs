namespace Minsheng.Grains;

/// <summary>Names of the grain storage providers and of each grain class's state (every class has its own).</summary>
public static class StorageNames
{
    /// <summary>The storage provider of the facts the grains own.</summary>
    public const string Facts = "facts";

    // Street and department facts live in the report log (ReportLog/), not in grain storage.
    public const string SupervisorState = "supervisor-v1";
    public const string SupervisorCasesState = "supervisor-cases-v1";
    public const string ReviewsState = "reviews-v1";
    public const string ScheduleState = "schedule-v1";
    public const string ClockState = "clock-v1";
    // A plan's live events (their epoch, numbers and payloads) live in the event journal (Events/), not in grain storage.
}
