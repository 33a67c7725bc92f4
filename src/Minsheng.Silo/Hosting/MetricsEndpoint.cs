using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// The Prometheus scrape endpoint: <c>/metrics</c> on a port of its own (<c>Minsheng:Metrics:Port</c>, default 9464;
/// 0 turns it off) bound to <c>Minsheng:Metrics:Address</c> (default loopback; a container sets <c>0.0.0.0</c>).
/// Which port a request arrived on decides, never its Host header: the metrics port answers <c>/metrics</c> and
/// nothing else (404), and the API port never answers <c>/metrics</c> (404). So an operator exposes the API port
/// through the ingress and leaves this one to the cluster's Prometheus.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The URL Kestrel listens on for the metrics port (the address is checked by <see cref="MetricsOptionsRules"/>).</summary>
    internal static string UrlFor(string address, int port)
    {
        if (address == "*") return $"http://*:{port}";
        var ip = IPAddress.Parse(address);
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"http://[{ip}]:{port}" : $"http://{ip}:{port}";
    }

    /// <summary>Adds the metrics port to the addresses Kestrel listens on, keeping the API's own.</summary>
    internal static void Listen(WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MetricsOptions, MetricsOptionsRules>(MetricsOptions.Section);
        var options = MetricsOptions.ReadEarly(builder);
        // Series per plan up to the limit, per region beyond it: the grains' metrics stay bounded at any number of plans.
        builder.Services.AddSingleton(services => new Minsheng.Grains.Telemetry.MetricScope(
            services.GetRequiredService<Minsheng.Domain.Plans.PlanCatalog>(), options.PlanSeriesLimit));
        if (options.Port == 0) return;
        var metricsUrl = UrlFor(options.BindAddress, options.Port);
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(urls))
        {
            // The same defaults Kestrel would apply: ASPNETCORE_HTTP_PORTS / HTTPS_PORTS, else localhost:5000.
            var http = Ports(builder.WebHost.GetSetting("http_ports")).Select(p => $"http://*:{p}");
            var https = Ports(builder.WebHost.GetSetting("https_ports")).Select(p => $"https://*:{p}");
            urls = string.Join(';', http.Concat(https).DefaultIfEmpty("http://localhost:5000"));
        }
        builder.WebHost.UseUrls($"{urls};{metricsUrl}");
    }

    /// <summary>
    /// First in the pipeline: a request on the metrics port that is not the scrape, and the scrape on any other port,
    /// end here with 404, before static files, authentication or any endpoint could answer them.
    /// </summary>
    public static WebApplication UseMetricsPort(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Port;
        if (port <= 0) return app;
        app.Use((context, next) =>
        {
            var onMetricsPort = context.Connection.LocalPort == port;
            if (onMetricsPort == IsScrape(context)) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            // The API port answers its usual 404 problem; the metrics port a bare 404, as it serves nobody but Prometheus.
            return onMetricsPort ? Task.CompletedTask
                : Api.Problems.Write(context, 404, Api.Problems.TitleOf(404), "path", "请求的资源不存在");
        });
        return app;
    }

    /// <summary>Maps <c>/metrics</c>; anonymous, as Prometheus scrapes without a token. <see cref="UseMetricsPort"/> keeps it to its port.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value.Port <= 0) return app;
        app.MapPrometheusScrapingEndpoint(Path).AllowAnonymous().WithName("Metrics").ExcludeFromDescription();
        return app;
    }

    internal static bool IsScrape(HttpContext http) =>
        http.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase) || http.Request.Path.Equals(Path + "/", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Ports(string? setting) =>
        (setting ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The metrics port (<c>Minsheng:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Minsheng:Metrics";
    public const int DefaultPort = 9464;
    public const string DefaultAddress = "127.0.0.1";

    /// <summary>The port <c>/metrics</c> is served on, only there; 0 turns it off.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The address the metrics port binds to: an IP address, or <c>*</c> for every interface.</summary>
    public string? Address { get; set; } = DefaultAddress;

    /// <summary>
    /// Most plans whose metric series are kept per plan (and per unit); with more plans loaded, series are per region
    /// (<see cref="Minsheng.Grains.Telemetry.MetricScope"/>).
    /// </summary>
    public int PlanSeriesLimit { get; set; } = Minsheng.Grains.Telemetry.MetricScope.DefaultPlanSeriesLimit;

    /// <summary>The address as configured, without surrounding blanks; an empty setting means the default.</summary>
    public string BindAddress => string.IsNullOrWhiteSpace(Address) ? DefaultAddress : Address.Trim();

    /// <summary>The settings as builder code reads them: Kestrel's listen addresses are fixed before the host exists.</summary>
    public static MetricsOptions ReadEarly(IHostApplicationBuilder builder) => builder.ReadEarly<MetricsOptions, MetricsOptionsRules>(Section);
}

/// <summary>The rules of <see cref="MetricsOptions"/>.</summary>
public sealed class MetricsOptionsRules : IValidateOptions<MetricsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) => ValidatedOptions.Result(Errors(options));

    private static IEnumerable<string> Errors(MetricsOptions options)
    {
        if (options.Port is < 0 or > 65535)
            yield return $"{MetricsOptions.Section}:Port must be 0 (off) or a port number, not {options.Port}.";
        if (options.PlanSeriesLimit < 0)
            yield return $"{MetricsOptions.Section}:PlanSeriesLimit must be 0 or more, not {options.PlanSeriesLimit}.";
        if (options.BindAddress != "*" && !IPAddress.TryParse(options.BindAddress, out _))
            yield return $"{MetricsOptions.Section}:Address must be an IP address (127.0.0.1, ::1, 0.0.0.0) or *, not '{options.BindAddress}'.";
    }
}
