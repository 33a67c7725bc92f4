namespace Minsheng.Grains;

/// <summary>
/// The open event streams of one caller across the whole cluster (key: the caller's rate-limit key, e.g.
/// <c>s:{subject}|{role}</c>). Each open stream holds a lease, taken when it opens, renewed by the silo serving it and
/// released when it ends; a lease nobody renews (its silo was killed) lapses after its time to live, so the slot comes
/// back. Called only when a stream opens, closes or is renewed, never per request.
/// </summary>
public interface IStreamSlotsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes a lease for <paramref name="streamId"/> lasting <paramref name="ttl"/> when the caller holds fewer than
    /// <paramref name="limit"/> unexpired ones; false (nothing taken) otherwise.
    /// </summary>
    Task<bool> TryTake(Guid streamId, int limit, TimeSpan ttl);

    /// <summary>
    /// Extends the leases of streams that are still open by <paramref name="ttl"/> from now; a lease this grain no longer
    /// knows (its activation was lost with a silo) is taken again, whatever the limit: the stream is open.
    /// </summary>
    Task Renew(IReadOnlyList<Guid> streamIds, TimeSpan ttl);

    /// <summary>Gives the lease of a stream that ended back.</summary>
    Task Release(Guid streamId);
}
