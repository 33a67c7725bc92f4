using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;
using Minsheng.Domain.Progress;
using Minsheng.Grains.ReportLog;

namespace Minsheng.Grains.Owners;

/// <summary>A street (街道): owns its assignments' facts, kept in the report log. Key: "{planId}/{streetId}".</summary>
[Reentrant] // reports pipeline: each awaits its commit while the next is decided (see AssignmentBook)
public sealed class StreetGrain(
    IReportLog log,
    SignOff.ISignOffStore signOffs,
    Routing.FactOutbox outbox,
    Routing.EventOutbox events,
    ReportLimits limits,
    PlanCatalog catalog,
    BusinessClock clock,
    IOptions<SupervisionOptions> options,
    ILogger<StreetGrain> logger,
    Telemetry.GrainMetrics metrics) : Grain, IStreetGrain
{
    private AssignmentBook _book = null!;
    private SignOffBook _signOff = null!;
    private PlanIndex _plan = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (planId, streetId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _plan = catalog.Get(planId);
        var owner = new OwnerRef(OwnerKind.Street, streetId);
        _book = new AssignmentBook(log, _plan, owner, clock, options.Value, limits, events, logger, metrics, DeactivateOnIdle);
        _signOff = new SignOffBook(signOffs, log, _book, _plan, owner, clock, limits, logger);
        await _book.Load();
        await _signOff.Load();
    }

    public Task<SignOffOutcome> File(ReportCommand command) => _signOff.File(command);

    public async Task<ReportOutcome> Approve(SignOffDecision decision)
    {
        var (outcome, update) = await _signOff.Approve(decision);
        if (update is not null) ProgressRouting.Announce(outbox, _plan, update);
        return outcome;
    }

    public Task<SignOffOutcome> Reject(SignOffDecision decision) => _signOff.Reject(decision);

    public async Task<ReportOutcome> Report(ReportCommand command)
    {
        var (outcome, update) = await _book.Report(command);
        if (update is not null) ProgressRouting.Announce(outbox, _plan, update);
        return outcome;
    }

    public async Task<FactUpdate> SetSchedule(ScheduleCommand command)
    {
        var update = await _book.SetSchedule(command);
        ProgressRouting.Announce(outbox, _plan, update);
        return update;
    }

    /// <summary>Awaits this silo's outboxes for the plan: every accepted report has reached its aggregates.</summary>
    public Task Settle() => Routing.Settling.SettleSilo(ServiceProvider, _plan.Id);

    public Task<IReadOnlyList<FactUpdate>> GetOwnFacts() => Task.FromResult(_book.OwnFacts());
}
