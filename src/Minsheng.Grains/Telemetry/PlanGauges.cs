using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Minsheng.Domain;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Grains.Telemetry;

/// <summary>
/// The latest plan figures this host's plan and supervisor grains computed, read by the observable gauges of
/// <see cref="GrainMetrics"/> at each collection: per plan, or summed per region above the plan series limit
/// (<see cref="MetricScope"/>); only plans whose grains are active on this silo appear (an idle plan's grains are
/// collected and its figures leave with them; the API's rollups answer for every plan). Each plan's figures live on the silo that hosts its grain; the grain
/// removes them when it deactivates, so a moved grain is not reported twice.
/// </summary>
public sealed class PlanGauges(MetricScope scope)
{
    private readonly ConcurrentDictionary<string, PlanFigures> Plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CaseFigures> Cases = new(StringComparer.Ordinal);

    public sealed record PlanFigures(StatusCounts Counts, IReadOnlyList<(string Project, double Ratio)> Projects,
        IReadOnlyList<(string Street, int Overdue)> Streets);

    public sealed record CaseFigures(int Open, int Responded);

    /// <summary>Plans whose plan grain is active on this silo (it publishes figures while active).</summary>
    public int ActivePlans => Plans.Count;

    public void SetPlan(string planId, PlanFigures figures) => Plans[planId] = figures;

    public void SetCases(string planId, CaseFigures figures) => Cases[planId] = figures;

    public void RemovePlan(string planId) => Plans.TryRemove(planId, out _);

    public void RemoveCases(string planId) => Cases.TryRemove(planId, out _);

    internal IEnumerable<Measurement<long>> Assignments() => Summed(Plans.SelectMany(p => new[]
    {
        (p.Key, AssignmentStatus.Done.WireName(), (long)p.Value.Counts.Done), (p.Key, AssignmentStatus.OnTrack.WireName(), p.Value.Counts.OnTrack),
        (p.Key, AssignmentStatus.Lagging.WireName(), p.Value.Counts.Lagging), (p.Key, AssignmentStatus.Overdue.WireName(), p.Value.Counts.Overdue),
    }), "status");

    internal IEnumerable<Measurement<double>> ProjectRatios() => !scope.PerPlan ? [] : Plans.SelectMany(p => p.Value.Projects.Select(r =>
        new Measurement<double>(r.Ratio, scope.Plan(p.Key, GrainMetrics.Tag("project", r.Project)))));

    internal IEnumerable<Measurement<long>> OverdueByStreet() => !scope.PerPlan ? [] : Plans.SelectMany(p => p.Value.Streets.Select(s =>
        new Measurement<long>(s.Overdue, scope.Plan(p.Key, GrainMetrics.Tag("street", s.Street)))));

    internal IEnumerable<Measurement<long>> OpenCases() => Summed(Cases.SelectMany(c => new[]
    {
        (c.Key, CaseState.Open.WireName(), (long)c.Value.Open), (c.Key, CaseState.Responded.WireName(), (long)c.Value.Responded),
    }), "state");

    /// <summary>One measurement per plan and value, or per region and value (summed) above the plan series limit.</summary>
    private IEnumerable<Measurement<long>> Summed(IEnumerable<(string Plan, string Value, long Count)> rows, string tag) => scope.PerPlan
        ? rows.Select(r => new Measurement<long>(r.Count, scope.Plan(r.Plan, GrainMetrics.Tag(tag, r.Value))))
        : rows.GroupBy(r => (Region: scope.RegionOf(r.Plan), r.Value))
            .Select(g => new Measurement<long>(g.Sum(r => r.Count), GrainMetrics.Tag("region", g.Key.Region), GrainMetrics.Tag(tag, g.Key.Value)));
}
