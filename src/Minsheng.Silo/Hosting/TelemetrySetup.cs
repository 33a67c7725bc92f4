using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Minsheng.Silo.Hosting;

/// <summary>OpenTelemetry traces and metrics: ASP.NET Core, Orleans and the service's own meter.</summary>
public static class TelemetrySetup
{
    public const string MeterName = "Minsheng";

    /// <summary>Adds tracing and metrics; exports over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public static WebApplicationBuilder AddMinshengTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("minsheng-silo"))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
                if (otlp) tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter("Microsoft.Orleans", MeterName);
                if (otlp) metrics.AddOtlpExporter();
            });
        return builder;
    }
}
