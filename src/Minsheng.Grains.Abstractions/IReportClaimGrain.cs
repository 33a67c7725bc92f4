using Minsheng.Grains.Messages;

namespace Minsheng.Grains;

/// <summary>
/// One client reportId of a plan (key: "{planId}/{reportId}"): which report body owns it, and once accepted, the answer
/// and history entry, so any retry, however late, gets the first answer without touching the owner. The first body
/// to claim an id owns it; another body is a conflict.
/// </summary>
public interface IReportClaimGrain : IGrainWithStringKey
{
    /// <summary>Claims the id for this body, or tells that it is another body's, or returns the accepted answer.</summary>
    Task<ReportClaimResult> Claim(string fingerprint);

    /// <summary>Stores the accepted answer (durably) so retries are answered from here.</summary>
    Task Complete(string fingerprint, ReportAnswer answer, HistoryEntry entry);

    /// <summary>Frees the id again when the report that claimed it was refused.</summary>
    Task Release(string fingerprint);
}

/// <summary>What a claim found.</summary>
public enum ReportClaimStatus { Claimed, Conflict, Accepted }

[GenerateSerializer, Immutable, Alias("minsheng.report-claim-result.v1")]
public sealed record ReportClaimResult(
    [property: Id(0)] ReportClaimStatus Status,
    [property: Id(1)] ReportAnswer? Answer = null,
    [property: Id(2)] HistoryEntry? Entry = null);
