using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Minsheng.Silo.Api;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.Tests;

/// <summary>Each silo's share of the cluster's limits, and the proxies whose forwarded address a silo believes.</summary>
public sealed class ClusterShareTests
{
    [Theory]
    [InlineData(30, 1, 30)]
    [InlineData(30, 3, 10)]
    [InlineData(31, 3, 11)]
    [InlineData(5, 3, 2)]
    [InlineData(1, 3, 1)]
    [InlineData(400, 0, 400)]
    [InlineData(int.MaxValue, 2, 1073741824)]
    public void A_silo_enforces_the_ceiling_of_the_limit_over_the_active_silos(int limit, int silos, int share) =>
        Assert.Equal(share, ClusterShare.Share(limit, silos));

    [Fact]
    public void A_bucket_holds_its_share_of_the_burst_and_refills_at_exactly_its_share_of_the_rate()
    {
        var bucket = RateLimits.Bucket(perSecond: 1, burst: 30, silos: 3);
        Assert.Equal(10, bucket.TokenLimit);
        // 1 token per 3 s on each of 3 silos: the cluster refills 1 a second, as documented.
        Assert.Equal(1.0 / 3, bucket.TokensPerPeriod / bucket.ReplenishmentPeriod.TotalSeconds, 9);
        var alone = RateLimits.Bucket(perSecond: 200, burst: 400, silos: 1);
        Assert.Equal((400, 200, TimeSpan.FromSeconds(1)), (alone.TokenLimit, alone.TokensPerPeriod, alone.ReplenishmentPeriod));
    }

    [Fact]
    public void With_no_proxy_configured_no_forwarded_header_is_read_not_even_from_loopback()
    {
        var forwarded = new ForwardedHeadersOptions();
        ForwardedHeadersSetup.Apply(forwarded, new ProxyOptions());
        Assert.Equal(ForwardedHeaders.None, forwarded.ForwardedHeaders);
        Assert.Empty(forwarded.KnownProxies);
        Assert.Empty(forwarded.KnownIPNetworks);
    }

    [Fact]
    public void Only_the_configured_proxies_and_networks_are_believed()
    {
        var forwarded = new ForwardedHeadersOptions();
        ForwardedHeadersSetup.Apply(forwarded, new ProxyOptions { KnownProxies = ["172.28.0.10"], KnownNetworks = ["10.244.0.0/16"] });
        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, forwarded.ForwardedHeaders);
        Assert.Equal([IPAddress.Parse("172.28.0.10")], forwarded.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("10.244.0.0/16")], forwarded.KnownIPNetworks);
        Assert.Equal(1, forwarded.ForwardLimit);
    }

    [Fact]
    public void Proxy_entries_must_be_addresses_and_networks()
    {
        Assert.True(new ProxyOptionsRules().Validate(null, new ProxyOptions()).Succeeded);
        var result = new ProxyOptionsRules().Validate(null, new ProxyOptions { KnownProxies = ["::1", "nginx"], KnownNetworks = ["10.0.0.0/8", "10.0.0.0"] });
        Assert.Equal(
        [
            "Minsheng:Proxy:KnownProxies must list IP addresses such as 172.28.0.10, not 'nginx'",
            "Minsheng:Proxy:KnownNetworks must list networks such as 10.244.0.0/16, not '10.0.0.0'",
        ], result.Failures);
    }
}
