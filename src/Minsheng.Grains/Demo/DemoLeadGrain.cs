namespace Minsheng.Grains.Demo;

/// <summary>
/// Holds the demo's lease in memory (a lost activation loses only the lease, and the next ask takes it again). Measured
/// on this process's monotonic tick count, not on the business clock: the lease is how long a silo has been silent.
/// </summary>
public sealed class DemoLeadGrain : Grain, IDemoLeadGrain
{
    private string? _holder;
    private long _untilTicks;

    public Task<bool> TryLead(string holder, TimeSpan lease)
    {
        var now = Environment.TickCount64;
        if (_holder is not null && _holder != holder && now < _untilTicks) return Task.FromResult(false);
        (_holder, _untilTicks) = (holder, now + (long)lease.TotalMilliseconds);
        return Task.FromResult(true);
    }
}
