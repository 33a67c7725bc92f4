using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Owners;

/// <summary>Where an owner's accepted change goes: the task's project grain and its lead department's grain.</summary>
internal static class ProgressRouting
{
    /// <summary>One-way sends: the reporter never waits on an aggregate; reconciliation heals what is lost.</summary>
    public static void Announce(IGrainFactory grains, PlanIndex plan, FactUpdate update, string? selfDepartment = null)
    {
        var task = plan.Task(update.TaskId);
        _ = grains.GetGrain<IProjectGrain>(GrainKeys.Of(plan.Id, task.ProjectId)).Apply([update]);
        if (task.LeadDepartment != selfDepartment)
            _ = grains.GetGrain<IDepartmentGrain>(GrainKeys.Of(plan.Id, task.LeadDepartment)).Apply([update]);
    }
}
