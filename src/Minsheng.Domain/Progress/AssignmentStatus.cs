namespace Minsheng.Domain.Progress;

/// <summary>Where an assignment stands against its schedule and the plan's deadline.</summary>
public enum AssignmentStatus
{
    OnTrack,
    Lagging,
    Overdue,
    Done,
}

/// <summary>A status with whether completion came after the deadline (完成但逾期).</summary>
public readonly record struct StatusVerdict(AssignmentStatus Status, bool Late)
{
    /// <summary>The contract's wire name: done, overdue, lagging, onTrack.</summary>
    public string WireName => Status switch
    {
        AssignmentStatus.Done => "done",
        AssignmentStatus.Overdue => "overdue",
        AssignmentStatus.Lagging => "lagging",
        _ => "onTrack",
    };
}

/// <summary>The wire names of <see cref="AssignmentStatus"/>, in the enum's order: the one list the document states.</summary>
public static class AssignmentStatuses
{
    public static IReadOnlyList<string> All { get; } =
        Enum.GetValues<AssignmentStatus>().Select(s => new StatusVerdict(s, false).WireName).ToArray();
}
