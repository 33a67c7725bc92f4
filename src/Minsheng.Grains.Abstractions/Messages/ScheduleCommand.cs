namespace Minsheng.Grains.Messages;

/// <summary>Sets an assignment metric's schedule (倒排计划); the milestones were validated by the domain rules.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.schedule-command.v1")]
public sealed record ScheduleCommand(
    [property: Id(0)] string TaskId,
    [property: Id(1)] string UnitId,
    [property: Id(2)] string MetricId,
    [property: Id(3)] IReadOnlyList<MilestoneMessage> Milestones,
    [property: Id(4)] string By,
    [property: Id(5)] string? Person = null);
