using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Owners;

/// <summary>Where an owner's accepted change goes: the task's project grain and its lead department's grain.</summary>
internal static class ProgressRouting
{
    /// <summary>
    /// Coalesced sends through the outbox: the reporter never waits on an aggregate, a burst of reports travels in a
    /// few batches, and reconciliation heals what is lost.
    /// </summary>
    public static void Announce(Routing.FactOutbox outbox, PlanIndex plan, FactUpdate update, string? selfDepartment = null)
    {
        var task = plan.Task(update.TaskId);
        outbox.Send<IProjectGrain>(GrainKeys.Of(plan.Id, task.ProjectId), [update]);
        if (task.LeadDepartment != selfDepartment)
            outbox.Send<IDepartmentGrain>(GrainKeys.Of(plan.Id, task.LeadDepartment), [update]);
    }
}
