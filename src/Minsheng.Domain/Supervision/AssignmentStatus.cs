namespace Minsheng.Domain.Supervision;

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
