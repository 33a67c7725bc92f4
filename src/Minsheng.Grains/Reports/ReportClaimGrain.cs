namespace Minsheng.Grains.Reports;

/// <summary>Holds which report body owns one reportId; durable before it answers.</summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class ReportClaimGrain(
    [PersistentState(StorageNames.ReportClaimState, StorageNames.Facts)] IPersistentState<ReportClaim> state) : Grain, IReportClaimGrain
{
    public async Task<bool> Claim(string fingerprint)
    {
        if (state.State.Fingerprint is { } held) return held == fingerprint;
        state.State.Fingerprint = fingerprint;
        await state.WriteStateAsync();
        return true;
    }

    public async Task Release(string fingerprint)
    {
        if (state.State.Fingerprint != fingerprint) return;
        state.State.Fingerprint = null;
        await state.WriteStateAsync();
    }
}

/// <summary>The fingerprint of the report body that owns a reportId.</summary>
[GenerateSerializer, Alias("minsheng.report-claim.v1")]
public sealed class ReportClaim
{
    [Id(0)] public string? Fingerprint { get; set; }
}
