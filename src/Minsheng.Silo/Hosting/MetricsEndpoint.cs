using Microsoft.AspNetCore.Hosting;
using OpenTelemetry.Exporter;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// The Prometheus scrape endpoint: <c>/metrics</c> on its own port (<c>Minsheng:Metrics:Port</c>, default 9464; 0 turns
/// it off), answered only for requests that arrive on that port and without a token, so an operator exposes the API
/// port through the ingress and leaves this one to the cluster's Prometheus.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";
    public const int DefaultPort = 9464;

    public static int PortOf(IConfiguration configuration) => configuration.GetValue("Minsheng:Metrics:Port", DefaultPort);

    /// <summary>Adds the metrics port to the addresses Kestrel listens on, keeping the API's own.</summary>
    internal static void Listen(WebApplicationBuilder builder)
    {
        var port = PortOf(builder.Configuration);
        if (port <= 0) return;
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(urls))
        {
            // The same defaults Kestrel would apply: ASPNETCORE_HTTP_PORTS / HTTPS_PORTS, else localhost:5000.
            var http = Ports(builder.WebHost.GetSetting("http_ports")).Select(p => $"http://*:{p}");
            var https = Ports(builder.WebHost.GetSetting("https_ports")).Select(p => $"https://*:{p}");
            urls = string.Join(';', http.Concat(https).DefaultIfEmpty("http://localhost:5000"));
        }
        builder.WebHost.UseUrls($"{urls};http://*:{port}");
    }

    /// <summary>Maps <c>/metrics</c> for the metrics port only; anonymous, as Prometheus scrapes without a token.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        var port = PortOf(app.ServiceProvider.GetRequiredService<IConfiguration>());
        if (port <= 0) return app;
        app.MapPrometheusScrapingEndpoint(Path).RequireHost($"*:{port}").AllowAnonymous().WithName("Metrics").ExcludeFromDescription();
        return app;
    }

    internal static bool IsScrape(HttpContext http) => http.Request.Path.StartsWithSegments(Path);

    private static IEnumerable<string> Ports(string? setting) =>
        (setting ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
