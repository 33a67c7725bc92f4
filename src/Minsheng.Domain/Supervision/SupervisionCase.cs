namespace Minsheng.Domain.Supervision;

/// <summary>A case-by-case supervision (个案督办) of one assignment (task, unit).</summary>
public sealed record SupervisionCase(
    string Id,
    string TaskId,
    string UnitId,
    CaseKind Kind,
    CaseState State,
    DateTimeOffset OpenedAt,
    string Reason,
    IReadOnlyList<string> AddressedTo,
    IReadOnlyList<CaseResponse> Responses,
    DateTimeOffset? ClosedAt = null,
    string? ClosedReason = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsActive => State != CaseState.Closed;
}

/// <summary>The lead department's answer (承办反馈) with the date it promises completion by.</summary>
public sealed record CaseResponse(string Text, DateOnly PromisedDate, string By, DateTimeOffset At);
