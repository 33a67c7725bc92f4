using System.Text.Json.Nodes;

namespace Minsheng.Grains.Audit;

/// <summary>
/// One line of the append-only audit log: who (the token's role, and the person when the token names one) did or tried what, when, on which assignment or
/// case, and how it ended (<c>accepted</c> or <c>refused</c> with the HTTP status and reason).
/// </summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Actor,
    string Action,
    string Outcome,
    int Status,
    string? PlanId,
    string? ReportId = null,
    string? TaskId = null,
    string? UnitId = null,
    string? MetricId = null,
    JsonObject? Detail = null,
    string? Person = null);

/// <summary>Audit actions.</summary>
public static class AuditActions
{
    public const string Report = "report";
    public const string Schedule = "schedule";
    public const string CaseOpen = "case.open";
    public const string CaseRespond = "case.respond";
    public const string CaseClose = "case.close";
    public const string Clock = "clock";
}
