using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Aggregates;

/// <summary>Rolls up one project's tasks from their owners' facts, and passes changes to the plan and the project's leaders.</summary>
public sealed class ProjectGrain(PlanCatalog catalog, IOptions<AggregateOptions> options, Routing.FactOutbox outbox, ReportLog.IReportLog log)
    : AggregateGrain(catalog, options), IProjectGrain
{
    private HashSet<string> _tasks = [];
    private Project _project = null!;

    protected override Task OnPlanLoaded()
    {
        _project = Plan.Project(UnitId);
        _tasks = _project.Tasks.ToHashSet(StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    protected override IEnumerable<Task<IReadOnlyList<FactUpdate>>> Sources() =>
        [FromLog(log, Plan.AssignmentsOf(Plan.TasksOf(_project)))];

    protected override bool Accepts(FactUpdate fact) => _tasks.Contains(fact.TaskId);

    protected override Task OnChanged(IReadOnlyList<FactUpdate> changed)
    {
        outbox.Send<IPlanGrain>(Plan.Id, changed);
        foreach (var leader in _project.Leaders)
            outbox.Send<ILeaderGrain>(GrainKeys.Of(Plan.Id, leader), changed);
        return Task.CompletedTask;
    }
}
