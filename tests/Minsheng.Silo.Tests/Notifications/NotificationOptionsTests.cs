using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Minsheng.Silo.Notifications;
using Polly;

namespace Minsheng.Silo.Tests.Notifications;

public sealed class NotificationOptionsTests
{
    [Fact]
    public void The_defaults_pass_and_allow_dingtalk_only()
    {
        var options = Read([]);
        Assert.Equal(["oapi.dingtalk.com"], options.AllowedHostsInForce());
        Assert.False(options.AllowPrivateNetworks);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromHours(1), TimeSpan.FromHours(24)),
            (options.AttemptTimeout, options.FirstRetryDelay, options.MaxRetryDelay, options.GiveUpAfter));
        Assert.Equal((50, 8, TimeSpan.FromSeconds(2)), (options.MaxSubscriptionsPerPlan, options.Concurrency, options.PollInterval));
        Assert.Null(options.ToPolicy().Check("https://oapi.dingtalk.com/robot/send?access_token=t"));
        Assert.Equal(TimeSpan.FromSeconds(10), options.ToRetrySchedule().Delay(2));
    }

    [Fact]
    public void A_configured_list_replaces_the_default_instead_of_adding_to_it()
    {
        var options = Read(new() { ["Minsheng:Notifications:AllowedHosts:0"] = "hooks.example.gov.cn", ["Minsheng:Notifications:AllowedHosts:1"] = "*.zj.gov.cn" });
        Assert.Equal(["hooks.example.gov.cn", "*.zj.gov.cn"], options.AllowedHostsInForce());
        Assert.NotNull(options.ToPolicy().Check("https://oapi.dingtalk.com/robot/send"));
        Assert.Null(options.ToPolicy().Check("https://robot.hz.zj.gov.cn/send"));
    }

    public static TheoryData<string, string, string> BrokenRules => new()
    {
        { "AllowedHosts:0", "https://oapi.dingtalk.com/robot", "Minsheng:Notifications:AllowedHosts:0 must be a host name (oapi.dingtalk.com), an IP address or *.suffix (*.example.gov.cn), not 'https://oapi.dingtalk.com/robot'" },
        { "AllowedHosts:0", "*.cn", "Minsheng:Notifications:AllowedHosts:0 must be a host name" },
        { "AllowedHosts:0", "*", "Minsheng:Notifications:AllowedHosts:0 must be a host name" },
        { "AllowedHosts:0", "hooks.example.gov.cn:8443", "Minsheng:Notifications:AllowedHosts:0 must be a host name" },
        { "AttemptTimeout", "00:00:00", "Minsheng:Notifications:AttemptTimeout must be positive and at most 00:05:00, not 00:00:00" },
        { "AttemptTimeout", "00:10:00", "Minsheng:Notifications:AttemptTimeout must be positive and at most 00:05:00, not 00:10:00" },
        { "FirstRetryDelay", "-00:00:01", "Minsheng:Notifications:FirstRetryDelay must be positive, not -00:00:01" },
        { "MaxRetryDelay", "00:00:01", "Minsheng:Notifications:MaxRetryDelay must be at least FirstRetryDelay (00:00:05), not 00:00:01" },
        { "GiveUpAfter", "00:00:00", "Minsheng:Notifications:GiveUpAfter must be positive, not 00:00:00" },
        { "MaxSubscriptionsPerPlan", "0", "Minsheng:Notifications:MaxSubscriptionsPerPlan must be at least 1, not 0" },
        { "Concurrency", "0", "Minsheng:Notifications:Concurrency must be at least 1, not 0" },
        { "PollInterval", "00:00:00", "Minsheng:Notifications:PollInterval must be positive, not 00:00:00" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void A_broken_rule_stops_the_options_naming_the_full_key(string key, string value, string says)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Read(new() { [$"Minsheng:Notifications:{key}"] = value }));
        Assert.Contains(says, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("oapi.dingtalk.com")]
    [InlineData("localhost")]
    [InlineData("*.example.gov.cn")]
    [InlineData("203.0.113.7")]
    [InlineData("fd00::5")]
    [InlineData("[fd00::5]")]
    public void Host_names_literals_and_wildcards_are_host_patterns(string entry) => Assert.True(NotificationOptionsRules.IsHostPattern(entry));

    [Theory]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1&sign=x%2By", "https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=1&sign=***")]
    [InlineData("https://hooks.example.gov.cn/a?ACCESS_TOKEN=abc#f", "https://hooks.example.gov.cn/a?ACCESS_TOKEN=***#f")]
    [InlineData("https://hooks.example.gov.cn/a?x=1", "https://hooks.example.gov.cn/a?x=1")]
    public void Logged_urls_hide_robot_tokens(string url, string logged) => Assert.Equal(logged, NotificationRedaction.Url(new Uri(url)));

    [Fact]
    public void Errors_hide_the_secret() =>
        Assert.Equal("bad *** here", NotificationRedaction.Text("bad SECabc here", "SECabc"));

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(200, false)]
    [InlineData(302, false)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    public void Quick_retries_take_server_errors_408_and_429(int status, bool retried)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        Assert.Equal(retried, NotificationSetup.IsTransient(Outcome.FromResult(response)));
    }

    [Fact]
    public void Quick_retries_take_failed_connections_but_not_refused_ones_nor_timeouts()
    {
        Assert.True(NotificationSetup.IsTransient(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("connection refused"))));
        Assert.False(NotificationSetup.IsTransient(Outcome.FromException<HttpResponseMessage>(
            new HttpRequestException("x", new EndpointRefusedException("refused to connect to localhost")))));
        Assert.False(NotificationSetup.IsTransient(Outcome.FromException<HttpResponseMessage>(new Polly.Timeout.TimeoutRejectedException())));
    }

    private static NotificationOptions Read(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddNotificationSending(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<NotificationOptions>>().Value;
    }
}
