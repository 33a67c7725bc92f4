using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Reports;

/// <summary>Holds which report body owns one reportId and, once accepted, its answer; durable before it answers.</summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class ReportClaimGrain(
    [PersistentState(StorageNames.ReportClaimState, StorageNames.Facts)] IPersistentState<ReportClaim> state) : Grain, IReportClaimGrain
{
    public async Task<ReportClaimResult> Claim(string fingerprint)
    {
        if (state.State.Fingerprint is { } held)
        {
            if (held != fingerprint) return new ReportClaimResult(ReportClaimStatus.Conflict);
            return state.State.Answer is { } answer
                ? new ReportClaimResult(ReportClaimStatus.Accepted, answer, state.State.Entry)
                : new ReportClaimResult(ReportClaimStatus.Claimed);
        }
        state.State.Fingerprint = fingerprint;
        await state.WriteStateAsync();
        return new ReportClaimResult(ReportClaimStatus.Claimed);
    }

    public async Task Complete(string fingerprint, ReportAnswer answer, HistoryEntry entry)
    {
        if (state.State.Fingerprint != fingerprint || state.State.Answer is not null) return;
        state.State.Answer = answer;
        state.State.Entry = entry;
        await state.WriteStateAsync();
    }

    public async Task Release(string fingerprint)
    {
        if (state.State.Fingerprint != fingerprint || state.State.Answer is not null) return;
        state.State.Fingerprint = null;
        await state.WriteStateAsync();
    }
}

/// <summary>The fingerprint of the report body that owns a reportId, and its answer once accepted.</summary>
[GenerateSerializer, Alias("minsheng.report-claim.v1")]
public sealed class ReportClaim
{
    [Id(0)] public string? Fingerprint { get; set; }
    [Id(1)] public ReportAnswer? Answer { get; set; }
    [Id(2)] public HistoryEntry? Entry { get; set; }
}
