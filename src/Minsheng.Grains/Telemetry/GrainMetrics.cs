using System.Diagnostics.Metrics;

namespace Minsheng.Grains.Telemetry;

/// <summary>
/// The grains' own instruments (meter <c>Minsheng.Grains</c>): what the owners decide about each report, how long the plan
/// rollup takes to reflect an acknowledgement, escalations, and the plan gauges of <see cref="PlanGauges"/>.
/// </summary>
public static class GrainMetrics
{
    public const string MeterName = "Minsheng.Grains";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Reports an owner accepted, by <c>unit</c> and <c>outcome</c> (<c>created</c> or <c>replayed</c>).</summary>
    public static readonly Counter<long> ReportsAccepted = Meter.CreateCounter<long>("minsheng.unit.reports.accepted", "{report}",
        "Reports accepted by their owner grain, by unit and outcome.");

    /// <summary>Reports an owner refused, by <c>unit</c>, <c>reason</c> (the field at fault) and HTTP <c>status</c>.</summary>
    public static readonly Counter<long> ReportsRefused = Meter.CreateCounter<long>("minsheng.unit.reports.refused", "{report}",
        "Reports refused by their owner grain, by unit, reason (field) and status.");

    /// <summary>Wall time from an owner's acknowledgement to the plan grain applying the fact.</summary>
    public static readonly Histogram<double> RollupLag = Meter.CreateHistogram<double>("minsheng.rollup.lag", "s",
        "Time from a report's acknowledgement to the plan rollup reflecting it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    /// <summary>Supervision cases opened (个案督办), by <c>kind</c>: <c>overdue</c>, <c>lagging</c> or <c>manual</c>.</summary>
    public static readonly Counter<long> Escalations = Meter.CreateCounter<long>("minsheng.supervision.escalations", "{case}",
        "Supervision cases opened, by kind.");

    static GrainMetrics()
    {
        Meter.CreateObservableGauge("minsheng.assignments", PlanGauges.Assignments, "{assignment}",
            "Assignments by plan and status (done, on_track, lagging, overdue).");
        Meter.CreateObservableGauge("minsheng.plan.project.ratio", PlanGauges.ProjectRatios, "1",
            "Completion ratio by plan and project.");
        Meter.CreateObservableGauge("minsheng.plan.street.overdue", PlanGauges.OverdueByStreet, "{assignment}",
            "Overdue assignments by plan and street.");
        Meter.CreateObservableGauge("minsheng.supervision.cases.open", PlanGauges.OpenCases, "{case}",
            "Supervision cases not closed, by plan and state (open, responded).");
    }

    /// <summary>Makes sure the gauges exist before the first scrape (the static constructor runs once).</summary>
    public static void EnsureCreated() { }

    public static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
