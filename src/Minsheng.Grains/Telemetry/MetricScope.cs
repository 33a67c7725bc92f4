using Minsheng.Domain.Plans;

namespace Minsheng.Grains.Telemetry;

/// <summary>
/// Keeps the grains' metric series bounded at any number of plans. Up to <see cref="PlanSeriesLimit"/> plans (a district
/// or a city: the operator watches each plan), series carry the <c>plan</c> and, for reports, the <c>unit</c>; above it
/// (a province or a nation) they carry the plan's <c>region</c> and the unit's kind instead, and the per-plan gauges of
/// projects and streets are left out, since a project "3" or a street id means nothing summed across districts. Every
/// series always names its <c>region</c> (<c>none</c> for a plan without one), so dashboards work at both scales.
/// </summary>
public sealed class MetricScope
{
    /// <summary>The default of <c>Minsheng:Metrics:PlanSeriesLimit</c>.</summary>
    public const int DefaultPlanSeriesLimit = 100;

    private readonly Dictionary<string, string> _regionOf;

    public MetricScope(PlanCatalog? catalog, int planSeriesLimit = DefaultPlanSeriesLimit)
    {
        PlanSeriesLimit = planSeriesLimit;
        var plans = catalog?.Plans ?? [];
        _regionOf = plans.ToDictionary(p => p.Id, p => p.Plan.Region?.Id ?? "none", StringComparer.Ordinal);
        PerPlan = plans.Count <= planSeriesLimit;
    }

    /// <summary>How many plans are loaded.</summary>
    public int Plans => _regionOf.Count;

    /// <summary>Most plans whose series are kept one by one.</summary>
    public int PlanSeriesLimit { get; }

    /// <summary>Whether series are per plan (few plans) rather than per region.</summary>
    public bool PerPlan { get; }

    /// <summary>The region a plan's series count under.</summary>
    public string RegionOf(string planId) => _regionOf.GetValueOrDefault(planId) ?? "none";

    /// <summary>The tags that place a plan's measurement: plan and region, or the region alone above the limit.</summary>
    public KeyValuePair<string, object?>[] Plan(string planId, params KeyValuePair<string, object?>[] more) => PerPlan
        ? [GrainMetrics.Tag("plan", planId), GrainMetrics.Tag("region", RegionOf(planId)), .. more]
        : [GrainMetrics.Tag("region", RegionOf(planId)), .. more];

    /// <summary>The tags that place a unit's report: plan, region and unit, or region and the unit's kind above the limit.</summary>
    public KeyValuePair<string, object?>[] Unit(string planId, OwnerKind kind, string unitId, params KeyValuePair<string, object?>[] more) => PerPlan
        ? [GrainMetrics.Tag("unit", unitId), GrainMetrics.Tag("region", RegionOf(planId)), .. more]
        : [GrainMetrics.Tag("unit_kind", kind == OwnerKind.Street ? "street" : "department"), GrainMetrics.Tag("region", RegionOf(planId)), .. more];
}
