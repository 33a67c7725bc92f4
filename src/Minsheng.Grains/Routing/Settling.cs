using Microsoft.Extensions.DependencyInjection;
using Minsheng.Domain.Plans;

namespace Minsheng.Grains.Routing;

/// <summary>The settled signal: what every <see cref="ISettles"/> grain awaits, and the grains a plan's walk reaches.</summary>
internal static class Settling
{
    /// <summary>
    /// How many hops a message accepted by an owner travels through the outboxes: owner → project (and lead
    /// department) → plan (and leaders) → supervisor → the plan's fan-out grain (its live events).
    /// </summary>
    public const int FlowDepth = 4;

    /// <summary>This silo's outboxes, facts and events, for one plan: everything accepted before the call delivered.</summary>
    public static Task SettleSilo(IServiceProvider services, string planId) => Task.WhenAll(
        services.GetRequiredService<FactOutbox>().Settle(planId),
        services.GetRequiredService<EventOutbox>().Settle(planId));

    /// <summary>
    /// Every grain of the plan that sends through an outbox, in the order messages flow: the owners (streets and the
    /// departments holding assignments), the aggregates they feed (projects, lead departments, leaders), the plan,
    /// the supervisor and the reviews.
    /// </summary>
    public static IReadOnlyList<ISettles> Senders(IGrainFactory grains, PlanIndex plan)
    {
        var owners = plan.AllAssignments.Select(a => PlanIndex.OwnerOf(a.Task, a.Assignment.UnitId)).Distinct()
            .Select(o => o.Kind == OwnerKind.Street
                ? (ISettles)grains.GetGrain<IStreetGrain>(GrainKeys.Of(plan.Id, o.Id))
                : grains.GetGrain<IDepartmentGrain>(GrainKeys.Of(plan.Id, o.Id)));
        var projects = plan.Plan.Projects.Select(p => (ISettles)grains.GetGrain<IProjectGrain>(GrainKeys.Of(plan.Id, p.Id)));
        var leadDepartments = plan.Plan.Projects.SelectMany(plan.TasksOf).Select(t => t.LeadDepartment).Distinct()
            .Select(d => (ISettles)grains.GetGrain<IDepartmentGrain>(GrainKeys.Of(plan.Id, d)));
        var leaders = plan.Plan.Leaders.Select(l => (ISettles)grains.GetGrain<ILeaderGrain>(GrainKeys.Of(plan.Id, l.Id)));
        ISettles[] tail = [grains.GetGrain<IPlanGrain>(plan.Id), grains.GetGrain<ISupervisorGrain>(plan.Id), grains.GetGrain<IReviewsGrain>(plan.Id)];
        return owners.Concat(projects).Concat(leadDepartments).Concat(leaders).Concat(tail).Distinct().ToList();
    }
}
