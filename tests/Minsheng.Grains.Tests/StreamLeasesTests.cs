using Minsheng.Grains.Streams;

namespace Minsheng.Grains.Tests;

/// <summary>One caller's stream leases: a limit on those held, released ones come back, unrenewed ones lapse.</summary>
public sealed class StreamLeasesTests
{
    private static readonly DateTimeOffset Start = new(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(90);

    [Fact]
    public void Past_the_limit_a_lease_is_refused_until_one_is_released()
    {
        var leases = new StreamLeases();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        Assert.True(leases.TryTake(a, 2, Start, Ttl));
        Assert.True(leases.TryTake(b, 2, Start, Ttl));
        Assert.False(leases.TryTake(c, 2, Start, Ttl));
        Assert.True(leases.TryTake(a, 2, Start, Ttl)); // held already: renewed, not a third
        leases.Release(a);
        Assert.True(leases.TryTake(c, 2, Start, Ttl));
        Assert.Equal(2, leases.Count);
    }

    [Fact]
    public void A_lease_nobody_renews_lapses_after_its_time_to_live_and_a_renewed_one_does_not()
    {
        var leases = new StreamLeases();
        Guid killed = Guid.NewGuid(), alive = Guid.NewGuid(), next = Guid.NewGuid();
        Assert.True(leases.TryTake(killed, 2, Start, Ttl));
        Assert.True(leases.TryTake(alive, 2, Start, Ttl));
        leases.Renew([alive], Start.AddSeconds(60), Ttl);
        Assert.False(leases.TryTake(next, 2, Start.AddSeconds(89), Ttl));
        Assert.True(leases.TryTake(next, 2, Start.AddSeconds(90), Ttl));
        Assert.False(leases.TryTake(Guid.NewGuid(), 2, Start.AddSeconds(149), Ttl));
    }

    [Fact]
    public void A_renewal_takes_again_the_leases_a_lost_activation_forgot_whatever_the_limit()
    {
        var fresh = new StreamLeases();
        fresh.Renew([Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()], Start, Ttl);
        Assert.Equal(3, fresh.Count);
        Assert.False(fresh.TryTake(Guid.NewGuid(), 2, Start, Ttl));
    }
}
