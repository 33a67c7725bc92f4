namespace Minsheng.Grains.Streams;

/// <summary>The leases of one caller's open streams, each with the instant it lapses (no clock of its own: given the time).</summary>
public sealed class StreamLeases
{
    private readonly Dictionary<Guid, DateTimeOffset> _until = [];

    /// <summary>Leases not yet lapsed at the last call.</summary>
    public int Count => _until.Count;

    /// <summary>Takes a lease when fewer than <paramref name="limit"/> are held at <paramref name="now"/>; taking one already held renews it.</summary>
    public bool TryTake(Guid streamId, int limit, DateTimeOffset now, TimeSpan ttl)
    {
        DropLapsed(now);
        if (!_until.ContainsKey(streamId) && _until.Count >= limit) return false;
        _until[streamId] = now + ttl;
        return true;
    }

    /// <summary>Extends (or takes again) the leases of streams still open.</summary>
    public void Renew(IEnumerable<Guid> streamIds, DateTimeOffset now, TimeSpan ttl)
    {
        DropLapsed(now);
        foreach (var id in streamIds) _until[id] = now + ttl;
    }

    public void Release(Guid streamId) => _until.Remove(streamId);

    private void DropLapsed(DateTimeOffset now)
    {
        foreach (var (id, until) in _until)
            if (until <= now) _until.Remove(id);
    }
}
