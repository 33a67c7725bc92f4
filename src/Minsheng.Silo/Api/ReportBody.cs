using System.ComponentModel.DataAnnotations;

namespace Minsheng.Silo.Api;

/// <summary>
/// The body of <c>POST /api/v1/plans/{planId}/reports</c>. Nullable so a missing field gets a named error; the
/// defaults and <see cref="RequiredAttribute"/> only tell the OpenAPI document which fields a client must send
/// (<c>metricId</c> too when the task has several metrics).
/// </summary>
public sealed record ReportBody(
    [property: Required] string? ReportId = null,
    [property: Required] string? TaskId = null,
    [property: Required] string? UnitId = null,
    string? MetricId = null,
    [property: Required] long? Completed = null,
    string? Note = null,
    List<string>? Evidence = null,
    bool? Correction = null,
    string? Reason = null);
