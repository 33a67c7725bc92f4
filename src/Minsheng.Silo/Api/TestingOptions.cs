namespace Minsheng.Silo.Api;

/// <summary>Diagnostics for out-of-process tests (<c>Minsheng:Testing</c>); everything off by default.</summary>
public sealed class TestingOptions
{
    public const string Section = "Minsheng:Testing";

    /// <summary>
    /// Maps <c>POST /api/v1/admin/settle?planId=</c> (office only): answers once everything accepted before it has reached
    /// the plan's rollups, supervision and live events. Never a user feature, so not in the OpenAPI document.
    /// </summary>
    public bool SettleEndpoint { get; set; }
}
