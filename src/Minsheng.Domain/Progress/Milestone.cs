namespace Minsheng.Domain.Progress;

/// <summary>A point of a schedule (倒排计划): by the end of <paramref name="Date"/>, <paramref name="Completed"/> done.</summary>
public sealed record Milestone(DateOnly Date, long Completed);
