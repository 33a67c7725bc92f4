namespace Minsheng.Silo.Api;

/// <summary>The body of <c>POST /api/v1/plans/{planId}/reports</c>. Nullable so a missing field gets a named error.</summary>
public sealed record ReportBody(
    string? ReportId,
    string? TaskId,
    string? UnitId,
    string? MetricId,
    long? Completed,
    string? Note,
    List<string>? Evidence,
    bool? Correction,
    string? Reason);
