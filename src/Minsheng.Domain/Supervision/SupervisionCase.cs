namespace Minsheng.Domain.Supervision;

/// <summary>A case-by-case supervision (个案督办) of one assignment (task, unit).</summary>
public sealed record SupervisionCase(
    string Id,
    string TaskId,
    string UnitId,
    [property: WireValues(typeof(CaseKinds))] string Kind,
    [property: WireValues(typeof(CaseStates))] string State,
    DateTimeOffset OpenedAt,
    string Reason,
    IReadOnlyList<string> AddressedTo,
    IReadOnlyList<CaseResponse> Responses,
    DateTimeOffset? ClosedAt = null,
    string? ClosedReason = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsActive => State != CaseStates.Closed;
}

/// <summary>The lead department's answer (承办反馈) with the date it promises completion by.</summary>
public sealed record CaseResponse(string Text, DateOnly PromisedDate, string By, DateTimeOffset At);

public static class CaseStates
{
    public const string Open = "open";
    public const string Responded = "responded";
    public const string Closed = "closed";

    public static IReadOnlyList<string> All { get; } = [Open, Responded, Closed];

    public static bool IsKnown(string state) => state is Open or Responded or Closed;
}

/// <summary>Why a case was opened.</summary>
public static class CaseKinds
{
    public const string Overdue = "overdue";
    public const string Lagging = "lagging";
    public const string Manual = "manual";

    public static IReadOnlyList<string> All { get; } = [Overdue, Lagging, Manual];
}
