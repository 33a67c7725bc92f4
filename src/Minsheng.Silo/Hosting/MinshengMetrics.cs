using System.Diagnostics.Metrics;

namespace Minsheng.Silo.Hosting;

/// <summary>The service's own instruments (meter <c>Minsheng</c>), exported with the OpenTelemetry metrics.</summary>
public static class MinshengMetrics
{
    private static readonly Meter Meter = new(TelemetrySetup.MeterName);

    /// <summary>Reports recorded, by outcome: <c>created</c> or <c>replayed</c>.</summary>
    public static readonly Counter<long> ReportsAccepted = Meter.CreateCounter<long>("minsheng.reports.accepted", "{report}",
        "Reports answered 201 (created) or 200 (replayed) by the API, by outcome.");

    /// <summary>Writes refused (any endpoint, authenticated or not), by action and HTTP status.</summary>
    public static readonly Counter<long> WritesRefused = Meter.CreateCounter<long>("minsheng.writes.refused", "{request}",
        "Write requests refused by an authenticated caller, by action and status.");

    /// <summary>Event streams (<c>/events</c>) open on this silo.</summary>
    public static readonly UpDownCounter<long> EventStreamClients = Meter.CreateUpDownCounter<long>("minsheng.events.clients", "{connection}",
        "Event-stream connections open on this silo.");
}
