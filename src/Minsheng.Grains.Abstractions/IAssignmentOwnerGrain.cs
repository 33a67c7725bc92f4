using Minsheng.Grains.Messages;

namespace Minsheng.Grains;

/// <summary>A grain that owns the facts of some assignments: it validates and records reports durably.</summary>
public interface IAssignmentOwnerGrain : ISettles
{
    /// <summary>Validates, records (durably before answering) and announces one report.</summary>
    Task<ReportOutcome> Report(ReportCommand command);

    /// <summary>
    /// Files a report for sign-off (填报→审核): validated as a report is, stored durably, counted nowhere. A retry of the
    /// same reportId and body answers with the filing as it stands; another body is 409.
    /// </summary>
    Task<SignOffOutcome> File(ReportCommand command);

    /// <summary>
    /// Approves a filed report (it is then appended to the report log like a report, carrying both people and both
    /// moments, and counts from then on) and answers as a report does; or sends it back with a reason.
    /// </summary>
    Task<ReportOutcome> Approve(SignOffDecision decision);

    /// <summary>Sends a filed report back to its reporter with the decision's reason.</summary>
    Task<SignOffOutcome> Reject(SignOffDecision decision);

    /// <summary>Sets the schedule of one assignment metric; the change is versioned like a report.</summary>
    Task<FactUpdate> SetSchedule(ScheduleCommand command);

    /// <summary>The current facts of every assignment this grain owns (for aggregates rebuilding themselves).</summary>
    [ReadOnly]
    Task<IReadOnlyList<FactUpdate>> GetOwnFacts();
}

/// <summary>One street (街道) of a plan: owns the street's assignments. Key: "{planId}/{streetId}".</summary>
public interface IStreetGrain : IAssignmentOwnerGrain;
