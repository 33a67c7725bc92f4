using System.Text.Json.Nodes;

namespace Minsheng.Grains.Audit;

/// <summary>
/// One line of the append-only audit log: who (the token's role, and the person when the token names one) did or tried what, when, on which assignment or
/// case, and how it ended (<c>accepted</c> or <c>refused</c> with the HTTP status and reason).
/// </summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Actor,
    AuditAction Action,
    AuditOutcome Outcome,
    int Status,
    string? PlanId,
    string? ReportId = null,
    string? TaskId = null,
    string? UnitId = null,
    string? MetricId = null,
    JsonObject? Detail = null,
    string? Person = null);

