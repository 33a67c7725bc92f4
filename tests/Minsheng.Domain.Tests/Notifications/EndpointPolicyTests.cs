using System.Net;
using Minsheng.Domain.Notifications;

namespace Minsheng.Domain.Tests.Notifications;

public sealed class EndpointPolicyTests
{
    private static readonly EndpointPolicy Policy = new(["oapi.dingtalk.com", "*.example.gov.cn", "Hooks.Example.ORG", "203.0.113.7", "10.1.2.3", "[fd00::5]", "例子.中国"], false);

    [Theory]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=abc")]
    [InlineData("https://OAPI.DingTalk.com/robot/send?access_token=abc")]
    [InlineData("https://oapi.dingtalk.com./robot/send")]
    [InlineData("https://a.example.gov.cn/hook")]
    [InlineData("https://a.b.example.gov.cn:8443/hook")]
    [InlineData("http://hooks.example.org/hook")]
    [InlineData("https://203.0.113.7/hook")]
    [InlineData("http://10.1.2.3:8080/hook")]
    [InlineData("http://[fd00::5]:8080/hook")]
    [InlineData("https://例子.中国/hook")]
    public void An_allowed_host_passes(string endpoint) => Assert.Null(Policy.Check(endpoint));

    [Theory]
    [InlineData("https://example.gov.cn/hook")]          // the wildcard covers names below it, not itself
    [InlineData("https://evil-example.gov.cn/hook")]
    [InlineData("https://example.gov.cn.evil.com/hook")]
    [InlineData("https://oapi.dingtalk.com.evil.com/robot/send")]
    [InlineData("https://203.0.113.8/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("http://[fd00::6]/hook")]
    public void A_host_not_on_the_list_is_refused_in_chinese(string endpoint)
    {
        var refusal = Policy.Check(endpoint);
        Assert.NotNull(refusal);
        Assert.Equal((400, "endpoint"), (refusal.Status, refusal.Field));
        Assert.Contains("不在允许的通知地址列表中", refusal.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "不能为空")]
    [InlineData("  ", "不能为空")]
    [InlineData("oapi.dingtalk.com/robot/send", "http:// 或 https://")]
    [InlineData("/robot/send", "http:// 或 https://")]
    [InlineData("ftp://oapi.dingtalk.com/robot", "http:// 或 https://")]
    [InlineData("file:///etc/passwd", "http:// 或 https://")]
    [InlineData("https://user:pass@oapi.dingtalk.com/robot/send", "用户名或密码")]
    [InlineData("https://user@oapi.dingtalk.com/robot/send", "用户名或密码")]
    public void Anything_but_an_absolute_http_url_without_user_info_is_refused(string? endpoint, string says)
    {
        var refusal = Policy.Check(endpoint);
        Assert.NotNull(refusal);
        Assert.Equal("endpoint", refusal.Field);
        Assert.Contains(says, refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_very_long_endpoint_is_refused() =>
        Assert.Contains("不能超过", Policy.Check("https://a.example.gov.cn/" + new string('a', EndpointPolicy.MaxEndpointLength))!.Reason, StringComparison.Ordinal);

    [Theory]
    // IPv4
    [InlineData("127.0.0.1")] [InlineData("127.255.0.9")] [InlineData("10.0.0.1")] [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")] [InlineData("172.31.255.254")] [InlineData("192.168.1.1")] [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")] [InlineData("100.127.255.255")] [InlineData("0.0.0.0")] [InlineData("0.1.2.3")]
    [InlineData("224.0.0.1")] [InlineData("239.255.255.250")] [InlineData("255.255.255.255")] [InlineData("240.0.0.1")]
    // IPv6
    [InlineData("::1")] [InlineData("::")] [InlineData("fc00::1")] [InlineData("fd12:3456::1")] [InlineData("fe80::1")]
    [InlineData("febf::1")] [InlineData("fec0::1")] [InlineData("ff02::1")] [InlineData("::127.0.0.1")]
    // IPv4-mapped and NAT64 forms
    [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:10.0.0.1")] [InlineData("::ffff:169.254.169.254")] [InlineData("::ffff:192.168.0.1")]
    [InlineData("::ffff:100.64.0.1")] [InlineData("::ffff:0.0.0.0")] [InlineData("64:ff9b::10.0.0.1")] [InlineData("64:ff9b::127.0.0.1")]
    public void Internal_addresses_are_internal(string address) => Assert.True(EndpointPolicy.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")] [InlineData("203.0.113.7")] [InlineData("172.15.255.255")] [InlineData("172.32.0.0")]
    [InlineData("100.63.255.255")] [InlineData("100.128.0.0")] [InlineData("169.253.1.1")] [InlineData("192.169.0.1")]
    [InlineData("11.0.0.1")] [InlineData("223.255.255.255")] [InlineData("126.255.255.255")] [InlineData("128.0.0.1")]
    [InlineData("2001:4860:4860::8888")] [InlineData("2400:3200::1")] [InlineData("::ffff:8.8.8.8")] [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("fbff::1")] [InlineData("fe7f::1")]
    public void Public_addresses_are_not(string address) => Assert.False(EndpointPolicy.IsInternal(IPAddress.Parse(address)));

    [Fact]
    public void At_connect_a_public_address_is_reached_through_any_allowed_host() =>
        Assert.True(Policy.MayConnect("a.example.gov.cn", IPAddress.Parse("203.0.113.50")));

    [Theory]
    [InlineData("a.example.gov.cn", "10.0.0.8")]       // a name resolving inside (or rebound to it)
    [InlineData("a.example.gov.cn", "127.0.0.1")]
    [InlineData("a.example.gov.cn", "::ffff:127.0.0.1")]
    [InlineData("a.example.gov.cn", "::1")]
    [InlineData("10.1.2.4", "10.1.2.4")]               // a literal nobody listed
    [InlineData("10.1.2.3", "10.1.2.4")]               // a listed literal never vouches for another address
    public void At_connect_an_internal_address_is_refused(string host, string address) =>
        Assert.False(Policy.MayConnect(host, IPAddress.Parse(address)));

    [Theory]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("10.1.2.3", "::ffff:10.1.2.3")]
    [InlineData("fd00::5", "fd00::5")]
    [InlineData("[fd00::5]", "fd00::5")]
    public void An_internal_ip_literal_the_operator_listed_exactly_is_reached(string host, string address) =>
        Assert.True(Policy.MayConnect(host, IPAddress.Parse(address)));

    [Fact]
    public void Allowing_private_networks_lets_any_allowed_host_reach_inside()
    {
        var open = new EndpointPolicy(["localhost"], allowPrivateNetworks: true);
        Assert.True(open.MayConnect("localhost", IPAddress.Loopback));
        Assert.True(open.MayConnect("localhost", IPAddress.IPv6Loopback));
        Assert.False(new EndpointPolicy(["localhost"], allowPrivateNetworks: false).MayConnect("localhost", IPAddress.Loopback));
    }

    [Fact]
    public void An_empty_list_allows_nothing() => Assert.NotNull(new EndpointPolicy([], false).Check("https://oapi.dingtalk.com/robot/send"));
}
