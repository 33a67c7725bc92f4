namespace Minsheng.Grains;

/// <summary>
/// A grain that hands messages to its silo's outboxes (owners, aggregates, the supervisor, the reviews). The outboxes
/// are per silo and carry the messages of every grain of a plan on that silo, so settling one such grain settles its
/// silo's share of the plan.
/// </summary>
public interface ISettles : IGrainWithStringKey
{
    /// <summary>
    /// Completes when every message the outboxes of this grain's silo accepted for this grain's plan before the call
    /// has been delivered: each fact applied by its aggregate, each live event taken by the plan's fan-out grain. It
    /// interleaves: it waits on deliveries that may be addressed to this very grain.
    /// </summary>
    [AlwaysInterleave]
    Task Settle();
}

/// <summary>
/// The settled signal of one plan (key: the plan id), like waiting for non-stale projections: <see cref="Settle"/>
/// completes when everything accepted before the call has reached the rollups, the supervisor and the live events.
/// </summary>
public interface IPlanSettlerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Completes when everything accepted before the call (reports, schedules, what supervision raised) has travelled
    /// the whole flow: owners → projects and lead departments → the plan and the leaders → the supervisor → the plan's
    /// fan-out grain. Reports arriving meanwhile may or may not be included. The fan-out grain's one-way sends to the
    /// silos' live hubs are best effort and have no signal.
    /// </summary>
    Task Settle();
}
