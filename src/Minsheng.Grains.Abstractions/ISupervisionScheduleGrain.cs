namespace Minsheng.Grains;

/// <summary>
/// The one durable schedule of supervision for every plan (key <see cref="Key"/>): when each plan's next checkpoint or
/// review falls due. One reminder wakes it; at each wake it runs the supervisors of the plans that are due (a bounded
/// number at a time) and stores when each is due next. A plan between checkpoints has no activation, timer or
/// reminder of its own: its grains deactivate when idle and cost nothing until a report, a read or its next instant.
/// </summary>
public interface ISupervisionScheduleGrain : IGrainWithStringKey
{
    /// <summary>The key of the schedule.</summary>
    public const string Key = "supervision";

    /// <summary>
    /// Runs the supervision of every plan due at or before <paramref name="now"/> up to it (checks, then reviews) and
    /// answers once all have run. A plan whose run failed stays due and is tried at the next wake.
    /// </summary>
    [ResponseTimeout("00:10:00")]
    Task<ScheduleRun> RunDue(DateTimeOffset now);

    /// <summary>
    /// The schedule as it stands, for operators and readiness: plans scheduled and the earliest instant due. Answers
    /// even while a long run (a first start's catch-up of thousands of plans) is in progress, so readiness holds.
    /// </summary>
    [AlwaysInterleave]
    Task<ScheduleStatus> GetStatus();
}

/// <summary>What one wake of the schedule did.</summary>
[GenerateSerializer, Immutable, Alias("minsheng.schedule-run.v1")]
public sealed record ScheduleRun(
    [property: Id(0)] int Due,
    [property: Id(1)] int Ran,
    [property: Id(2)] int Failed,
    [property: Id(3)] DateTimeOffset? NextDue);

/// <summary>The schedule's plans and its earliest due instant (null: every plan's year is over).</summary>
[GenerateSerializer, Immutable, Alias("minsheng.schedule-status.v1")]
public sealed record ScheduleStatus(
    [property: Id(0)] int Plans,
    [property: Id(1)] DateTimeOffset? NextDue,
    [property: Id(2)] DateTimeOffset? LastRun);
