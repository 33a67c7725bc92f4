using System.Diagnostics.Metrics;

namespace Minsheng.Silo.Hosting;

/// <summary>The service's own instruments (meter <c>Minsheng</c>), exported with the OpenTelemetry metrics.</summary>
public static class MinshengMetrics
{
    private static readonly Meter Meter = new(TelemetrySetup.MeterName);

    /// <summary>Reports recorded, by outcome: <c>created</c> or <c>replayed</c>.</summary>
    public static readonly Counter<long> ReportsAccepted = Meter.CreateCounter<long>("minsheng.reports.accepted", "{report}");

    /// <summary>Reports refused, by HTTP status.</summary>
    public static readonly Counter<long> ReportsRefused = Meter.CreateCounter<long>("minsheng.reports.refused", "{report}");
}
