using System.Diagnostics.Metrics;

namespace Minsheng.Grains.Telemetry;

/// <summary>
/// The grains' own instruments (meter <c>Minsheng.Grains</c>): what the owners decide about each report, how long the plan
/// rollup takes to reflect an acknowledgement, escalations, and the plan gauges of <see cref="PlanGauges"/>.
/// One per host, from the host's <see cref="IMeterFactory"/>: two hosts in one process (tests) count apart, and a
/// <c>MetricCollector</c> given the host's factory reads only that host.
/// </summary>
public sealed class GrainMetrics
{
    public const string MeterName = "Minsheng.Grains";

    public GrainMetrics(IMeterFactory meters, MetricScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Scope = scope ?? new MetricScope(null);
        Gauges = new PlanGauges(Scope);
        var meter = meters.Create(MeterName);
        ReportsAccepted = meter.CreateCounter<long>("minsheng.unit.reports.accepted", "{report}",
            "Reports accepted by their owner grain, by unit (or unit kind above the plan series limit), region and outcome.");
        ReportsRefused = meter.CreateCounter<long>("minsheng.unit.reports.refused", "{report}",
            "Reports refused by their owner grain, by unit (or unit kind), region, reason (field) and status.");
        RollupLag = meter.CreateHistogram<double>("minsheng.rollup.lag", "s",
            "Time from a report's acknowledgement to the plan rollup reflecting it, by plan (or region) .",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        Escalations = meter.CreateCounter<long>("minsheng.supervision.escalations", "{case}",
            "Supervision cases opened, by plan (or region) and kind.");
        meter.CreateObservableGauge("minsheng.plans", () => new[]
            {
                new Measurement<long>(Scope.Plans, Tag("state", "loaded")),
                new Measurement<long>(Gauges.ActivePlans, Tag("state", "active")),
            }, "{plan}",
            "Plans loaded by this silo, and those whose plan grain is active on it (the rest cost nothing until used).");
        meter.CreateObservableGauge("minsheng.assignments", Gauges.Assignments, "{assignment}",
            "Assignments of the plans active on this silo by plan (or region, summed) and status (done, onTrack, lagging, overdue: the API's names).");
        meter.CreateObservableGauge("minsheng.plan.project.ratio", Gauges.ProjectRatios, "1",
            "Completion ratio by plan and project (per-plan series only).");
        meter.CreateObservableGauge("minsheng.plan.street.overdue", Gauges.OverdueByStreet, "{assignment}",
            "Overdue assignments by plan and street (per-plan series only).");
        meter.CreateObservableGauge("minsheng.supervision.cases.open", Gauges.OpenCases, "{case}",
            "Supervision cases not closed of the plans active on this silo, by plan (or region, summed) and state (open, responded).");
    }

    /// <summary>Reports an owner accepted, by <c>unit</c> and <c>outcome</c> (<c>created</c> or <c>replayed</c>).</summary>
    public Counter<long> ReportsAccepted { get; }

    /// <summary>Reports an owner refused, by <c>unit</c>, <c>reason</c> (the field at fault) and HTTP <c>status</c>.</summary>
    public Counter<long> ReportsRefused { get; }

    /// <summary>Wall time from an owner's acknowledgement to the plan grain applying the fact.</summary>
    public Histogram<double> RollupLag { get; }

    /// <summary>Supervision cases opened (个案督办), by <c>kind</c>: <c>overdue</c>, <c>lagging</c> or <c>manual</c>.</summary>
    public Counter<long> Escalations { get; }

    /// <summary>The latest plan figures of this host's plan and supervisor grains, read by the gauges.</summary>
    public PlanGauges Gauges { get; }

    /// <summary>Which tags place a measurement: per plan and unit, or per region above the plan series limit.</summary>
    public MetricScope Scope { get; }

    public static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
