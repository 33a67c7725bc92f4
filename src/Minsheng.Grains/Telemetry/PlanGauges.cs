using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Minsheng.Domain;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Grains.Telemetry;

/// <summary>
/// The latest plan figures this host's plan and supervisor grains computed, read by the observable gauges of
/// <see cref="GrainMetrics"/> at each collection. Each plan's figures live on the silo that hosts its grain; the grain
/// removes them when it deactivates, so a moved grain is not reported twice.
/// </summary>
public sealed class PlanGauges
{
    private readonly ConcurrentDictionary<string, PlanFigures> Plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CaseFigures> Cases = new(StringComparer.Ordinal);

    public sealed record PlanFigures(StatusCounts Counts, IReadOnlyList<(string Project, double Ratio)> Projects,
        IReadOnlyList<(string Street, int Overdue)> Streets);

    public sealed record CaseFigures(int Open, int Responded);

    public void SetPlan(string planId, PlanFigures figures) => Plans[planId] = figures;

    public void SetCases(string planId, CaseFigures figures) => Cases[planId] = figures;

    public void RemovePlan(string planId) => Plans.TryRemove(planId, out _);

    public void RemoveCases(string planId) => Cases.TryRemove(planId, out _);

    internal IEnumerable<Measurement<long>> Assignments() => Plans.SelectMany(p => new[]
    {
        Of(p.Key, AssignmentStatus.Done, p.Value.Counts.Done), Of(p.Key, AssignmentStatus.OnTrack, p.Value.Counts.OnTrack),
        Of(p.Key, AssignmentStatus.Lagging, p.Value.Counts.Lagging), Of(p.Key, AssignmentStatus.Overdue, p.Value.Counts.Overdue),
    });

    internal IEnumerable<Measurement<double>> ProjectRatios() => Plans.SelectMany(p => p.Value.Projects.Select(r =>
        new Measurement<double>(r.Ratio, GrainMetrics.Tag("plan", p.Key), GrainMetrics.Tag("project", r.Project))));

    internal IEnumerable<Measurement<long>> OverdueByStreet() => Plans.SelectMany(p => p.Value.Streets.Select(s =>
        new Measurement<long>(s.Overdue, GrainMetrics.Tag("plan", p.Key), GrainMetrics.Tag("street", s.Street))));

    internal IEnumerable<Measurement<long>> OpenCases() => Cases.SelectMany(c => new[]
    {
        new Measurement<long>(c.Value.Open, GrainMetrics.Tag("plan", c.Key), GrainMetrics.Tag("state", CaseState.Open.WireName())),
        new Measurement<long>(c.Value.Responded, GrainMetrics.Tag("plan", c.Key), GrainMetrics.Tag("state", CaseState.Responded.WireName())),
    });

    private static Measurement<long> Of(string plan, AssignmentStatus status, int count) =>
        new(count, GrainMetrics.Tag("plan", plan), GrainMetrics.Tag("status", status.WireName()));
}
