using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Aggregates;

/// <summary>Rolls up the projects a district leader (分管区领导) is named on: pushed by their project grains, rebuilt from the report log.</summary>
public sealed class LeaderGrain(PlanCatalog catalog, IOptions<AggregateOptions> options, ReportLog.IReportLog log)
    : AggregateGrain(catalog, options), ILeaderGrain
{
    private HashSet<string> _tasks = [];
    private List<Project> _projects = [];

    protected override Task OnPlanLoaded()
    {
        _projects = Plan.ProjectsOf(UnitId).ToList();
        _tasks = _projects.SelectMany(p => p.Tasks).ToHashSet(StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    protected override IEnumerable<Task<IReadOnlyList<FactUpdate>>> Sources() =>
        [FromLog(log, Plan.AssignmentsOf(_projects.SelectMany(Plan.TasksOf)))];

    protected override bool Accepts(FactUpdate fact) => _tasks.Contains(fact.TaskId);
}
