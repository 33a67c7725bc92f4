using Orleans.Dashboard;

namespace Minsheng.Silo.Hosting;

/// <summary>The operators' endpoints: the Prometheus scrape endpoint and the Orleans dashboard.</summary>
public static class TelemetryEndpoints
{
    public const string DashboardPath = "/dashboard";

    /// <summary>Whether the Orleans dashboard is on (<c>Minsheng:Dashboard:Enabled</c>, default true).</summary>
    public static bool DashboardEnabled(IConfiguration configuration) => configuration.GetValue("Minsheng:Dashboard:Enabled", true);

    /// <summary><c>/metrics</c> on the metrics port; <c>/dashboard</c> for the office role only.</summary>
    public static WebApplication MapTelemetryEndpoints(this WebApplication app)
    {
        app.MapMetricsEndpoint();
        // The dashboard is for operators, not integrators: it stays out of the OpenAPI document.
        if (DashboardEnabled(app.Configuration))
            app.MapOrleansDashboard(routePrefix: DashboardPath).RequireAuthorization(p => p.RequireRole("office")).ExcludeFromDescription();
        return app;
    }
}
