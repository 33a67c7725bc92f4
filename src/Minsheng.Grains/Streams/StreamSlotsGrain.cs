namespace Minsheng.Grains.Streams;

/// <summary>
/// One caller's stream leases (<see cref="IStreamSlotsGrain"/>), in memory only: slots are soft state. When this
/// activation is lost with its silo, the next renewal of every open stream (within one renewal period) takes its lease
/// again, so the count is back before anyone can use the gap for more than that period; nothing is worth storing.
/// </summary>
public sealed class StreamSlotsGrain(TimeProvider time) : Grain, IStreamSlotsGrain
{
    private readonly StreamLeases _leases = new();

    public Task<bool> TryTake(Guid streamId, int limit, TimeSpan ttl) => Task.FromResult(_leases.TryTake(streamId, limit, time.GetUtcNow(), ttl));

    public Task Renew(IReadOnlyList<Guid> streamIds, TimeSpan ttl)
    {
        _leases.Renew(streamIds, time.GetUtcNow(), ttl);
        return Task.CompletedTask;
    }

    public Task Release(Guid streamId)
    {
        _leases.Release(streamId);
        if (_leases.Count == 0) DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
