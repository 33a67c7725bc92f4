using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Minsheng.Silo.Hosting;

/// <summary>OpenTelemetry traces and metrics: ASP.NET Core, Orleans and the service's own meter.</summary>
public static class TelemetrySetup
{
    public const string MeterName = "Minsheng";

    /// <summary>
    /// Adds tracing and metrics exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without an exporter
    /// nothing is collected: the benchmark measured about 7% of silo CPU in spans nobody read.
    /// </summary>
    public static WebApplicationBuilder AddMinshengTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("minsheng-silo"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter("Microsoft.Orleans", MeterName)
                .AddOtlpExporter());
        return builder;
    }
}
