using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace Minsheng.Silo.Hosting;

/// <summary>The operators' endpoints: the Prometheus scrape endpoint and the Orleans dashboard.</summary>
public static class TelemetryEndpoints
{
    public const string DashboardPath = "/dashboard";

    /// <summary><c>/metrics</c> on the metrics port; <c>/dashboard</c> for the office role only, unless <c>Minsheng:Dashboard:Enabled=false</c>.</summary>
    public static WebApplication MapTelemetryEndpoints(this WebApplication app)
    {
        app.MapMetricsEndpoint();
        // The dashboard is for operators, not integrators: it stays out of the OpenAPI document.
        if (app.Services.GetRequiredService<IOptions<MinshengDashboardOptions>>().Value.Enabled)
            app.MapOrleansDashboard(routePrefix: DashboardPath).RequireAuthorization(p => p.RequireRole("office")).ExcludeFromDescription();
        return app;
    }
}
