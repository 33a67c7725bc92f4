using Orleans.Dashboard;

namespace Minsheng.Silo.Hosting;

/// <summary>The operators' endpoints: the Prometheus scrape endpoint and the Orleans dashboard.</summary>
public static class TelemetryEndpoints
{
    public const string DashboardPath = "/dashboard";

    /// <summary><c>/metrics</c> on the metrics port; <c>/dashboard</c> for the office role only.</summary>
    public static WebApplication MapTelemetryEndpoints(this WebApplication app)
    {
        app.MapMetricsEndpoint();
        app.MapOrleansDashboard(routePrefix: DashboardPath).RequireAuthorization(p => p.RequireRole("office"));
        return app;
    }
}
