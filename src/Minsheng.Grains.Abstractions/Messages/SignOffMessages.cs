using Minsheng.Domain.SignOff;

namespace Minsheng.Grains.Messages;

/// <summary>A reviewer's decision on a report filed under sign-off: approve it, or send it back with a reason.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.sign-off-decision.v1")]
public sealed record SignOffDecision(
    [property: Id(0)] string ReportId,
    [property: Id(1)] bool Approve,
    [property: Id(2)] string? Reason,
    [property: Id(3)] string ReviewerRole,
    [property: Id(4)] string Reviewer);

/// <summary>
/// How a filing or a rejection ended: 202 (filed; <see cref="Replayed"/> for a retry of the filing, with its row as it
/// stands), 200 (sent back),
/// or refused with a status, field and reason. An approval ends as a report does (<see cref="ReportOutcome"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("minsheng.sign-off-outcome.v1")]
public sealed record SignOffOutcome(
    [property: Id(0)] int Status,
    [property: Id(1)] PendingReport? Item,
    [property: Id(2)] long Target,
    [property: Id(3)] string? Field,
    [property: Id(4)] string? Reason,
    [property: Id(5)] bool Replayed = false)
{
    public static SignOffOutcome Refused(int status, string field, string reason) => new(status, null, 0, field, reason);
}
