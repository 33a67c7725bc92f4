using Minsheng.Grains.Telemetry;
using Minsheng.Persistence.ReportLog;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// OpenTelemetry for the silo: traces (ASP.NET Core, Orleans, the report log, Npgsql), metrics (Orleans, ASP.NET Core,
/// the runtime, Npgsql and the service's meters) and logs, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set; metrics are also served for Prometheus on their own port (<see cref="MetricsEndpoint"/>).
/// </summary>
public static class TelemetrySetup
{
    public const string MeterName = "Minsheng";

    /// <summary>The activity sources traced: Orleans' own and the report log's group-commit writes.</summary>
    public static readonly string[] ActivitySources =
    [
        "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage", "Microsoft.Orleans.Lifecycle",
        ReportLogTelemetry.SourceName,
    ];

    /// <summary>The meters collected besides the instrumentation libraries'.</summary>
    public static readonly string[] Meters = ["Microsoft.Orleans", MeterName, GrainMetrics.MeterName];

    /// <summary>
    /// Metrics always (the Prometheus endpoint reads them; cheap). Traces only when exported over OTLP or asked for with
    /// <c>Minsheng:Telemetry:Traces=true</c>: the benchmark measured about 7% of silo CPU in spans nobody read. Logs go
    /// through OpenTelemetry only when OTLP export is on (the console logger stays either way).
    /// </summary>
    public static WebApplicationBuilder AddMinshengTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddValidatedOptions<MinshengTelemetryOptions>(MinshengTelemetryOptions.Section);
        var traces = MinshengTelemetryOptions.ReadEarly(builder).Traces ?? otlp;
        // The plan gauges exist from the start (they are created with the grains' instruments, otherwise at the first
        // grain activation), so the first scrape already lists them.
        builder.Services.AddSingleton<MinshengMetrics>();
        builder.Services.AddHostedService<GrainInstrumentsAtStart>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "minsheng-silo"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(Meters)
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        if (traces)
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !MetricsEndpoint.IsScrape(http))
                .AddSource(ActivitySources)
                .AddNpgsql());
        if (otlp)
        {
            // One exporter for all three signals, configured by the standard OTEL_EXPORTER_OTLP_* variables
            // (endpoint, protocol, headers, timeout, per-signal endpoints).
            telemetry.WithLogging(configureBuilder: null, configureOptions: o => { o.IncludeFormattedMessage = true; o.IncludeScopes = true; });
            telemetry.UseOtlpExporter();
        }
        MetricsEndpoint.Listen(builder);
        return builder;
    }
}

/// <summary>Creates the grains', the API's and the cluster share's instruments when the host starts; it has nothing else to do.</summary>
internal sealed class GrainInstrumentsAtStart(GrainMetrics metrics, MinshengMetrics api, ClusterShare cluster) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(metrics);
        GC.KeepAlive(api);
        GC.KeepAlive(cluster);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
