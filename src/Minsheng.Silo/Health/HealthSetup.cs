namespace Minsheng.Silo.Health;

/// <summary>
/// Health checks through ASP.NET Core's <c>AddHealthChecks</c>, tagged: <see cref="Live"/> checks say the process
/// runs (never the database: a slow database must not get the process restarted); <see cref="Ready"/> checks say it
/// can serve (plans loaded, silo active in the cluster and answering a grain call, PostgreSQL answering when used).
/// </summary>
public static class HealthSetup
{
    /// <summary>Tag of the liveness checks (<c>/health/live</c>).</summary>
    public const string Live = "live";

    /// <summary>Tag of the readiness checks (<c>/health/ready</c>).</summary>
    public const string Ready = "ready";

    /// <summary>Registers the tagged checks.</summary>
    public static WebApplicationBuilder AddMinshengHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck("process", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy("进程运行中"), [Live])
            .AddCheck<PlanCatalogHealthCheck>("plans", tags: [Ready])
            .AddCheck<SiloHealthCheck>("silo", tags: [Ready])
            .AddCheck<PostgresHealthCheck>("postgres", tags: [Ready]);
        return builder;
    }
}
