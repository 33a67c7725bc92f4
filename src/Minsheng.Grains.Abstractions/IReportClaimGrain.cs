namespace Minsheng.Grains;

/// <summary>
/// Makes a client's reportId unique across the whole plan, not only within the unit it reported for: the first body
/// to claim an id owns it; the same body may come again (a retry), another body is a conflict. Key: "{planId}/{reportId}".
/// </summary>
public interface IReportClaimGrain : IGrainWithStringKey
{
    /// <summary>True when the id is free or already held by this very body.</summary>
    Task<bool> Claim(string fingerprint);

    /// <summary>Frees the id again when the report that claimed it was refused.</summary>
    Task Release(string fingerprint);
}
