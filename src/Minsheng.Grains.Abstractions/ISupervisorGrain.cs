using Minsheng.Domain.Supervision;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains;

/// <summary>
/// Supervision of one plan (key: the plan id): statuses, alerts and cases (个案督办), kept current by every progress
/// message and by the one supervision schedule (<see cref="ISupervisionScheduleGrain"/>), which wakes it at each
/// checkpoint and review instant in real time and when the office moves the simulated clock.
/// </summary>
public interface ISupervisorGrain : IProgressAggregate
{
    /// <summary>
    /// Runs every check that became due up to <paramref name="now"/>, in order, each on the report log's facts at its
    /// instant, then publishes the reviews that fell due; answers the next instant it is due (null: the year is over).
    /// </summary>
    Task<DateTimeOffset?> AdvanceTo(DateTimeOffset now);

    Task<IReadOnlyList<Alert>> GetAlerts();

    /// <summary>How far supervision has run, for operators.</summary>
    Task<SupervisionStatus> GetStatus();

    Task<IReadOnlyList<SupervisionCase>> GetCases(CaseState? state);

    Task<SupervisionCase?> GetCase(string caseId);

    Task<CaseOutcome> OpenCase(string taskId, string unitId, string reason, string by);

    Task<CaseOutcome> Respond(string caseId, string text, DateOnly promisedDate, string by);

    Task<CaseOutcome> Close(string caseId, string reason, string by);
}

/// <summary>How far supervision has run and what stands open.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.supervision-status.v1")]
public sealed record SupervisionStatus(
    [property: Id(0)] DateTimeOffset? ProcessedUntil,
    [property: Id(1)] int OpenCases,
    [property: Id(2)] int Alerts);

/// <summary>A case action's result: the case, or a refusal with status, field and reason.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.case-outcome.v1")]
public sealed record CaseOutcome(
    [property: Id(0)] int Status,
    [property: Id(1)] SupervisionCase? Case,
    [property: Id(2)] string? Field,
    [property: Id(3)] string? Reason)
{
    public static CaseOutcome Ok(SupervisionCase c, int status = 200) => new(status, c, null, null);

    public static CaseOutcome Refused(int status, string field, string reason) => new(status, null, field, reason);
}
