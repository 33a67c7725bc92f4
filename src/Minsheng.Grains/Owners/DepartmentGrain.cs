using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Aggregates;
using Minsheng.Grains.Messages;
using Minsheng.Domain.Progress;
using Minsheng.Grains.ReportLog;

namespace Minsheng.Grains.Owners;

/// <summary>
/// A lead department (牵头单位): owns the district-level (区本级) assignments of the tasks it leads, and rolls up those
/// tasks over all units. Key: "{planId}/{departmentId}".
/// </summary>
[Reentrant] // reports pipeline: each awaits its commit while the next is decided (see AssignmentBook)
public sealed class DepartmentGrain(
    IReportLog log,
    SignOff.ISignOffStore signOffs,
    Routing.FactOutbox outbox,
    Routing.EventOutbox events,
    ReportLimits limits,
    PlanCatalog catalog,
    BusinessClock clock,
    IOptions<SupervisionOptions> supervision,
    IOptions<AggregateOptions> aggregates,
    ILogger<DepartmentGrain> logger,
    Telemetry.GrainMetrics metrics) : AggregateGrain(catalog, aggregates), IDepartmentGrain
{
    private AssignmentBook _book = null!;
    private SignOffBook _signOff = null!;
    private HashSet<string> _tasks = [];

    protected override async Task OnPlanLoaded()
    {
        var owner = new OwnerRef(OwnerKind.Department, UnitId);
        _book = new AssignmentBook(log, Plan, owner, clock, supervision.Value, limits, events, logger, metrics, DeactivateOnIdle);
        _signOff = new SignOffBook(signOffs, log, _book, Plan, owner, clock, limits, logger);
        _tasks = Plan.TasksLedBy(UnitId).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        await _book.Load();
        await _signOff.Load();
    }

    public Task<SignOffOutcome> File(ReportCommand command) => _signOff.File(command);

    public async Task<ReportOutcome> Approve(SignOffDecision decision)
    {
        var (outcome, update) = await _signOff.Approve(decision);
        if (update is not null) await Take(update);
        return outcome;
    }

    public Task<SignOffOutcome> Reject(SignOffDecision decision) => _signOff.Reject(decision);

    public async Task<ReportOutcome> Report(ReportCommand command)
    {
        var (outcome, update) = await _book.Report(command);
        if (update is not null) await Take(update);
        return outcome;
    }

    public async Task<FactUpdate> SetSchedule(ScheduleCommand command)
    {
        var update = await _book.SetSchedule(command);
        await Take(update);
        return update;
    }

    /// <summary>A fact this department's own book changed: into its own rollup, then to the other aggregates.</summary>
    private async Task Take(FactUpdate update)
    {
        await Apply([update]);
        ProgressRouting.Announce(outbox, Plan, update, selfDepartment: UnitId);
    }

    public Task<IReadOnlyList<FactUpdate>> GetOwnFacts() => Task.FromResult(_book.OwnFacts());

    protected override IEnumerable<Task<IReadOnlyList<FactUpdate>>> Sources()
    {
        yield return Task.FromResult(_book.OwnFacts());
        var streets = Plan.AssignmentsOf(Plan.TasksLedBy(UnitId)).Where(a => a.Assignment.UnitId != PlanUnits.District);
        yield return FromLog(log, streets);
    }

    protected override bool Accepts(FactUpdate fact) => _tasks.Contains(fact.TaskId);
}
