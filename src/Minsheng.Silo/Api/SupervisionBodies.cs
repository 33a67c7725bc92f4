namespace Minsheng.Silo.Api;

/// <summary>Body of <c>PUT .../assignments/{taskId}/{unitId}/schedule</c>.</summary>
public sealed record ScheduleBody(string? MetricId, List<MilestoneBody>? Milestones);

public sealed record MilestoneBody(DateOnly? Date, long? Completed);

/// <summary>Body of <c>POST .../cases</c> (the office opens a case by hand).</summary>
public sealed record OpenCaseBody(string? TaskId, string? UnitId, string? Reason);

/// <summary>Body of <c>POST .../cases/{caseId}/responses</c> (承办反馈).</summary>
public sealed record CaseResponseBody(string? Text, DateOnly? PromisedDate);

/// <summary>Body of <c>POST .../cases/{caseId}/close</c>.</summary>
public sealed record CloseCaseBody(string? Reason);

/// <summary>Body of <c>POST /api/v1/admin/clock</c>.</summary>
public sealed record ClockBody(string? Now)
{
    /// <summary>An ISO 8601 instant WITH its offset (Z or ±hh:mm): a bare local time is ambiguous and refused.</summary>
    public DateTimeOffset? Parse() => Instants.Parse(Now);
}
