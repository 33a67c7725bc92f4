using Minsheng.Grains.Messages;

namespace Minsheng.Grains;

/// <summary>A grain that owns the facts of some assignments: it validates and records reports durably.</summary>
public interface IAssignmentOwnerGrain : ISettles
{
    /// <summary>Validates, records (durably before answering) and announces one report.</summary>
    Task<ReportOutcome> Report(ReportCommand command);

    /// <summary>Sets the schedule of one assignment metric; the change is versioned like a report.</summary>
    Task<FactUpdate> SetSchedule(ScheduleCommand command);

    /// <summary>The current facts of every assignment this grain owns (for aggregates rebuilding themselves).</summary>
    [ReadOnly]
    Task<IReadOnlyList<FactUpdate>> GetOwnFacts();
}

/// <summary>One street (街道) of a plan: owns the street's assignments. Key: "{planId}/{streetId}".</summary>
public interface IStreetGrain : IAssignmentOwnerGrain;
