using System.Diagnostics.Metrics;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// The API's own instruments (meter <c>Minsheng</c>), exported with the OpenTelemetry metrics. Made from the host's
/// <see cref="IMeterFactory"/>, one set per host, so two in-process hosts (tests) never share counts.
/// </summary>
public sealed class MinshengMetrics
{
    public MinshengMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TelemetrySetup.MeterName);
        WritesRefused = meter.CreateCounter<long>("minsheng.writes.refused", "{request}",
            "Write requests refused by an authenticated caller, by action and status.");
        EventStreamClients = meter.CreateUpDownCounter<long>("minsheng.events.clients", "{connection}",
            "Event-stream connections open on this silo.");
        NotificationAttempts = meter.CreateCounter<long>("minsheng.notifications.attempts", "{attempt}",
            "Notification delivery attempts recorded by this silo, by format and outcome (delivered, retry, failed).");
    }

    /// <summary>Notification attempts, by <c>format</c> (webhook, dingtalk) and <c>outcome</c> (delivered, retry, failed).</summary>
    public Counter<long> NotificationAttempts { get; }

    /// <summary>Writes refused (any endpoint, authenticated or not), by action and HTTP status.</summary>
    public Counter<long> WritesRefused { get; }

    /// <summary>Event streams (<c>/events</c>) open on this silo.</summary>
    public UpDownCounter<long> EventStreamClients { get; }
}
