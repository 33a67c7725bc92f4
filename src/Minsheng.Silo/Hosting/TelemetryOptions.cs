namespace Minsheng.Silo.Hosting;

/// <summary>Traces (<c>Minsheng:Telemetry</c>). OTLP export itself follows OpenTelemetry's own <c>OTEL_*</c> settings.</summary>
public sealed class MinshengTelemetryOptions
{
    public const string Section = "Minsheng:Telemetry";

    /// <summary>Collects traces; unset: only when they are exported over OTLP (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public bool? Traces { get; set; }

    /// <summary>The settings as builder code reads them: which signals are collected is fixed before the host exists.</summary>
    public static MinshengTelemetryOptions ReadEarly(IHostApplicationBuilder builder) =>
        builder.ReadEarly<MinshengTelemetryOptions, TypeOnlyRules<MinshengTelemetryOptions>>(Section);
}

/// <summary>The Orleans dashboard (<c>Minsheng:Dashboard</c>). Named apart from the dashboard package's own options.</summary>
public sealed class MinshengDashboardOptions
{
    public const string Section = "Minsheng:Dashboard";

    /// <summary>Serves <c>/dashboard</c> (office role only) and runs its grain-call profiler (default on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The settings as builder code reads them: the dashboard's collectors are added to the silo before the host exists.</summary>
    public static MinshengDashboardOptions ReadEarly(IHostApplicationBuilder builder) =>
        builder.ReadEarly<MinshengDashboardOptions, TypeOnlyRules<MinshengDashboardOptions>>(Section);
}
