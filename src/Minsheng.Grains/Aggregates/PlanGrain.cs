using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains.Messages;
using Minsheng.Grains.Telemetry;

namespace Minsheng.Grains.Aggregates;

/// <summary>Rolls up the whole plan: pushed by its project grains, rebuilt from the report log.</summary>
public sealed class PlanGrain(PlanCatalog catalog, IOptions<AggregateOptions> options, Routing.FactOutbox outbox,
    BusinessClock clock, IOptions<SupervisionOptions> supervision, GrainMetrics metrics, ReportLog.IReportLog log)
    : AggregateGrain(catalog, options), IPlanGrain
{
    private readonly TimeSpan _gaugeInterval = options.Value.GaugeInterval;

    protected override IEnumerable<Task<IReadOnlyList<FactUpdate>>> Sources() =>
        [FromLog(log, Plan.AllAssignments)];

    protected override bool Accepts(FactUpdate fact) => Plan.FindTask(fact.TaskId) is not null;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        // The plan gauges: statuses move with the clock as well as with reports, so they are recomputed on a timer.
        PublishGauges();
        this.RegisterGrainTimer(() => { PublishGauges(); return Task.CompletedTask; },
            new GrainTimerCreationOptions(_gaugeInterval, _gaugeInterval) { Interleave = false });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Gauges.RemovePlan(Plan.Id);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>Supervision hears of every change at once, so a report re-evaluates its assignment's status.</summary>
    protected override Task OnChanged(IReadOnlyList<FactUpdate> changed)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var f in changed)
            if (f.AckedAt is { } acked) metrics.RollupLag.Record(Math.Max(0, (now - acked).TotalSeconds), metrics.Scope.Plan(Plan.Id));
        outbox.Send<ISupervisorGrain>(Plan.Id, changed);
        return Task.CompletedTask;
    }

    private void PublishGauges()
    {
        var rollup = new RollupCalculator(Plan, Ledger.Facts, clock.GetUtcNow().ToOffset(Plan.Plan.Deadline.Offset), supervision.Value.LagTolerance);
        metrics.Gauges.SetPlan(Plan.Id, new PlanGauges.PlanFigures(
            rollup.Plan().Counts,
            Plan.Plan.Projects.Select(p => (p.Id, (double)rollup.ProjectRatio(p).ToDecimal())).ToList(),
            Plan.Plan.Streets.Select(s => (s.Id, rollup.Street(s).Counts.Overdue)).ToList()));
    }
}
