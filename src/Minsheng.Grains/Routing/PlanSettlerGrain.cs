using Minsheng.Domain.Plans;

namespace Minsheng.Grains.Routing;

/// <summary>
/// The settled signal of a plan: settles the plan's senders (<see cref="Settling.Senders"/>) once per hop of the flow
/// (<see cref="Settling.FlowDepth"/>). Round k ends when every silo hosting one of them has delivered what it held for
/// the plan when the round began, so after round k everything accepted before the call has travelled k hops: after the
/// last, it has reached the rollups, the supervisor and the plan's fan-out grain. Every round reaches every silo
/// hosting a sender, so an activation that moved silos meanwhile leaves nothing unsettled behind. Holds nothing: a
/// stateless worker on any silo.
/// </summary>
[StatelessWorker]
public sealed class PlanSettlerGrain(PlanCatalog catalog) : Grain, IPlanSettlerGrain
{
    public async Task Settle()
    {
        var senders = Settling.Senders(GrainFactory, catalog.Get(this.GetPrimaryKeyString()));
        for (var hop = 0; hop < Settling.FlowDepth; hop++)
            await Task.WhenAll(senders.Select(g => g.Settle()));
    }
}
