using Microsoft.Extensions.Options;
using Minsheng.Domain.Evidence;
using Minsheng.Grains.Evidence;

namespace Minsheng.Silo.Evidence;

/// <summary>Evidence files, all of it: the limits (<c>Minsheng:Evidence</c>, checked at start), the store, the checks.</summary>
public static class EvidenceSetup
{
    /// <summary>
    /// Binds and validates <see cref="EvidenceLimits"/>; registers the evidence store (PostgreSQL tables in PostgreSQL
    /// mode, on the host's data source; in memory on the embedded default), the report lookup and the image checks.
    /// </summary>
    public static WebApplicationBuilder AddEvidence(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<EvidenceLimits, EvidenceLimitRules>(EvidenceLimits.Section);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<EvidenceLimits>>().Value);
        if (MinshengOptions.ReadEarly(builder).Storage == StorageMode.Postgres)
            builder.Services.AddSingleton<IEvidenceStore, Minsheng.Persistence.Evidence.PostgresEvidenceStore>();
        else builder.Services.AddSingleton<IEvidenceStore, Minsheng.Grains.Evidence.InMemoryEvidenceStore>();
        builder.Services.AddSingleton<EvidenceReports>();
        builder.Services.AddSingleton<EvidenceImages>();
        builder.Services.AddSingleton<EvidenceChecks>();
        return builder;
    }

    internal sealed class EvidenceLimitRules : IValidateOptions<EvidenceLimits>
    {
        public ValidateOptionsResult Validate(string? name, EvidenceLimits options) => ValidatedOptions.Result(options.Errors());
    }
}
