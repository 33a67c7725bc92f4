using Microsoft.AspNetCore.Http.HttpResults;
using Minsheng.Domain;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Grains.Messages;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Api;

/// <summary>Schedules (倒排计划) of assignments, set by the owner or the task's lead department.</summary>
public static class ScheduleApi
{
    /// <summary>The answer to a schedule set: the assignment, its milestones, where its schedule comes from, its status now.</summary>
    public sealed record ScheduleAnswer(string TaskId, string UnitId, string MetricId, List<Milestone> Milestones,
        ScheduleSource ScheduleSource, AssignmentStatus Status,
        long Version);

    /// <summary>Maps <c>PUT /api/v1/plans/{planId}/assignments/{taskId}/{unitId}/schedule</c>.</summary>
    public static IEndpointRouteBuilder MapScheduleApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}").WithTags("Schedules").AuditsRefusals().RequirePlan()
            .ProducesProblems(ApiProblemMetadata.Guarded);
        group.MapPut("/assignments/{taskId}/{unitId}/schedule", PutSchedule).WithName("PutSchedule")
            .WithSummary("设置一个分解任务的倒排计划（里程碑日期与累计目标）。")
            .ReadsJson<ScheduleBody>().ProducesProblems(422)
            .AuditRefusals(AuditAction.Schedule);
        return app;
    }

    private static async Task<Results<Ok<ScheduleAnswer>, ProblemHttpResult>> PutSchedule(PlanRoute route, string taskId, string unitId, Caller caller,
        HttpRequest request, IGrainFactory grains, RollupReader reader)
    {
        var plan = route.Index;
        if (plan.FindTask(taskId) is not { } task) return Problems.NotFound("taskId", $"任务“{taskId}”不存在");
        if (task.Assignments.All(a => a.UnitId != unitId)) return Problems.NotFound("unitId", $"单位“{unitId}”在任务 {taskId} 中没有分解任务");
        if (!caller.MaySchedule(route.Index.Plan, task, unitId))
            return Problems.Forbidden("unitId", $"角色 {caller.Role} 无权设置任务 {taskId} 中单位 {unitId} 的计划");

        var (body, problem) = await JsonBody.Read<ScheduleBody>(request);
        if (problem is not null) return problem;
        var metricId = body!.MetricId ?? (task.Metrics.Count == 1 ? PlanUnits.MainMetric : null);
        if (metricId is null) return Problems.Result(400, "metricId", $"任务 {taskId} 有多个指标，必须指明 metricId");
        if (task.Assignments.FirstOrDefault(a => a.UnitId == unitId && a.MetricId == metricId) is not { } assignment)
            return Problems.Result(400, "metricId", $"单位 {unitId} 在任务 {taskId} 上没有指标“{metricId}”");
        if (body.Milestones is null) return Problems.Result(400, "milestones", "必填");
        for (var i = 0; i < body.Milestones.Count; i++)
        {
            if (body.Milestones[i]?.Date is null) return Problems.Result(400, $"milestones[{i}].date", "必填，格式 yyyy-MM-dd");
            if (body.Milestones[i].Completed is null) return Problems.Result(400, $"milestones[{i}].completed", "必填");
        }
        var milestones = body.Milestones.Select(m => new Milestone(m.Date!.Value, m.Completed!.Value)).ToList();
        if (MilestoneRules.Check(PlanTimeline.Of(plan.Plan), assignment.Target, milestones) is { } refusal) return Problems.Result(refusal);

        var update = await ReportsApi.Owner(grains, plan, task, unitId).SetSchedule(new ScheduleCommand(taskId, unitId, metricId,
            milestones.Select(m => new MilestoneMessage(m.Date, m.Completed)).ToList(), caller.Role, caller.Person));
        var view = reader.Calculator(plan, [update]).View(new AssignmentRef(task, assignment));
        return TypedResults.Ok(new ScheduleAnswer(view.TaskId, view.UnitId, view.MetricId, milestones, view.ScheduleSource, view.Status, view.Version));
    }
}
