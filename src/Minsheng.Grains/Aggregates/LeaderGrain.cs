using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Aggregates;

/// <summary>Rolls up the projects a district leader (分管区领导) is named on, from their project grains.</summary>
public sealed class LeaderGrain(PlanCatalog catalog, IOptions<AggregateOptions> options) : AggregateGrain(catalog, options), ILeaderGrain
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
        _projects.Select(p => GrainFactory.GetGrain<IProjectGrain>(GrainKeys.Of(Plan.Id, p.Id)).GetFacts());

    protected override bool Accepts(FactUpdate fact) => _tasks.Contains(fact.TaskId);
}
