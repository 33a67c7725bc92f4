using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Aggregates;

/// <summary>Rolls up the whole plan from its project grains.</summary>
public sealed class PlanGrain(PlanCatalog catalog, IOptions<AggregateOptions> options, Routing.FactOutbox outbox)
    : AggregateGrain(catalog, options), IPlanGrain
{
    protected override IEnumerable<Task<IReadOnlyList<FactUpdate>>> Sources() =>
        Plan.Plan.Projects.Select(p => GrainFactory.GetGrain<IProjectGrain>(GrainKeys.Of(Plan.Id, p.Id)).GetFacts());

    protected override bool Accepts(FactUpdate fact) => Plan.FindTask(fact.TaskId) is not null;

    /// <summary>Supervision hears of every change at once, so a report re-evaluates its assignment's status.</summary>
    protected override Task OnChanged(IReadOnlyList<FactUpdate> changed)
    {
        outbox.Send<ISupervisorGrain>(Plan.Id, changed);
        return Task.CompletedTask;
    }
}
