using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;
using Minsheng.Grains.State;

namespace Minsheng.Grains.Owners;

/// <summary>A street (街道): owns its assignments' facts and history. Key: "{planId}/{streetId}".</summary>
public sealed class StreetGrain(
    [PersistentState(StorageNames.StreetState, StorageNames.Facts)] IPersistentState<OwnerState> state,
    PlanCatalog catalog,
    BusinessClock clock,
    IOptions<SupervisionOptions> options,
    ILogger<StreetGrain> logger) : Grain, IStreetGrain
{
    private AssignmentBook _book = null!;
    private PlanIndex _plan = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (planId, streetId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _plan = catalog.Get(planId);
        _book = new AssignmentBook(state, _plan, new OwnerRef(OwnerKind.Street, streetId), clock, options.Value, GrainFactory, logger, DeactivateOnIdle);
        return Task.CompletedTask;
    }

    public async Task<ReportOutcome> Report(ReportCommand command)
    {
        var (outcome, update) = await _book.Report(command);
        if (update is not null) ProgressRouting.Announce(GrainFactory, _plan, update);
        return outcome;
    }

    public async Task<FactUpdate> SetSchedule(ScheduleCommand command)
    {
        var update = await _book.SetSchedule(command);
        ProgressRouting.Announce(GrainFactory, _plan, update);
        return update;
    }

    public Task<IReadOnlyList<FactUpdate>> GetOwnFacts() => Task.FromResult(_book.OwnFacts());
}
