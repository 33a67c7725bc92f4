using System.ComponentModel.DataAnnotations;

namespace Minsheng.Silo.Api;

// Nullable members so a missing field gets a named error; defaults and [Required] tell the OpenAPI document which
// fields a client must send.

/// <summary>Body of <c>PUT .../assignments/{taskId}/{unitId}/schedule</c>.</summary>
public sealed record ScheduleBody(string? MetricId = null, [property: Required] List<MilestoneBody>? Milestones = null);

/// <summary>One milestone: by <c>date</c>, <c>completed</c> cumulatively.</summary>
public sealed record MilestoneBody([property: Required] DateOnly? Date = null, [property: Required] long? Completed = null);

/// <summary>Body of <c>POST .../cases</c> (the office opens a case by hand).</summary>
public sealed record OpenCaseBody([property: Required] string? TaskId = null, [property: Required] string? UnitId = null,
    [property: Required] string? Reason = null);

/// <summary>Body of <c>POST .../cases/{caseId}/responses</c> (承办反馈).</summary>
public sealed record CaseResponseBody([property: Required] string? Text = null, [property: Required] DateOnly? PromisedDate = null);

/// <summary>Body of <c>POST .../cases/{caseId}/close</c>.</summary>
public sealed record CloseCaseBody([property: Required] string? Reason = null);

/// <summary>Body of <c>POST /api/v1/admin/clock</c>.</summary>
public sealed record ClockBody([property: Required, OpenApi.WireFormat(Format = "date-time")] string? Now = null)
{
    /// <summary>An ISO 8601 instant WITH its offset (Z or ±hh:mm): a bare local time is ambiguous and refused.</summary>
    public DateTimeOffset? Parse() => Instants.Parse(Now);
}
