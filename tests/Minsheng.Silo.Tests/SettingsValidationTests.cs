using Microsoft.Extensions.Options;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Every setting is checked when the host starts: a wrong one stops it, naming the full key, before any request or
/// grain could meet it. Each row starts a host with one wrong setting and nothing else changed.
/// </summary>
public sealed class SettingsValidationTests
{
    public static TheoryData<string, string, string> BrokenRules => new()
    {
        // key, value, what the failure says
        { "Minsheng:RateLimit:Burst", "-1", "Minsheng:RateLimit:Burst must be at least 1, not -1" },
        { "Minsheng:RateLimit:PermitsPerSecond", "0", "Minsheng:RateLimit:PermitsPerSecond must be at least 1, not 0" },
        { "Minsheng:RateLimit:AnonymousTotalBurst", "0", "Minsheng:RateLimit:AnonymousTotalBurst must be at least 1, not 0" },
        { "Minsheng:RateLimit:EventStreamsPerToken", "0", "Minsheng:RateLimit:EventStreamsPerToken must be at least 1, not 0" },
        { "Minsheng:Proxy:KnownProxies:0", "nginx", "Minsheng:Proxy:KnownProxies must list IP addresses such as 172.28.0.10, not 'nginx'" },
        { "Minsheng:Proxy:KnownNetworks:0", "10.244.0.0/33", "Minsheng:Proxy:KnownNetworks must list networks such as 10.244.0.0/16, not '10.244.0.0/33'" },
        { "Minsheng:Exports:Total", "0", "Minsheng:Exports:Total must be at least 1, not 0" },
        { "Minsheng:Exports:PerCaller", "-2", "Minsheng:Exports:PerCaller must be at least 1, not -2" },
        { "Minsheng:Alerts:LagTolerance", "1.5", "Minsheng:Alerts:LagTolerance must be at least 0 and below 1, not 1.5" },
        { "Minsheng:Alerts:LagTolerance", "-0.1", "Minsheng:Alerts:LagTolerance must be at least 0 and below 1, not -0.1" },
        { "Minsheng:Alerts:ReminderPeriod", "00:00:00", "Minsheng:Alerts:ReminderPeriod must be positive" },
        { "Minsheng:Alerts:LaggingWeeksForCase", "0", "Minsheng:Alerts:LaggingWeeksForCase must be at least 1, not 0" },
        { "Minsheng:Alerts:MaxCaseResponses", "0", "Minsheng:Alerts:MaxCaseResponses must be at least 1, not 0" },
        { "Minsheng:Alerts:PromiseDaysAfterFinalDeadline", "-1", "Minsheng:Alerts:PromiseDaysAfterFinalDeadline must be at least 0, not -1" },
        { "Minsheng:Aggregates:ReconcileInterval", "-00:00:01", "Minsheng:Aggregates:ReconcileInterval must be positive" },
        { "Minsheng:Aggregates:GaugeInterval", "00:00:00", "Minsheng:Aggregates:GaugeInterval must be positive" },
        { "Minsheng:Live:ReplayBuffer", "0", "Minsheng:Live:ReplayBuffer must be at least 1, not 0" },
        { "Minsheng:Limits:InstantMarginDays", "-1", "Minsheng:Limits:InstantMarginDays must be between 0 and" },
        { "Minsheng:Metrics:Address", "metrics.example", "Minsheng:Metrics:Address must be an IP address (127.0.0.1, ::1, 0.0.0.0) or *, not 'metrics.example'" },
        { "Minsheng:Metrics:Port", "70000", "Minsheng:Metrics:Port must be 0 (off) or a port number, not 70000" },
        { "Minsheng:Cors:Origins:0", "https://dashboard.example/page", "Minsheng:Cors:Origins:0 must be an origin" },
        { "Minsheng:Cors:Origins:0", "*", "Minsheng:Cors:Origins:0 must be an origin" },
        { "Minsheng:Storage", "7", "Minsheng:Storage must be Memory or Postgres, not '7'" },
        { "Minsheng:Clock:Mode", "3", "Minsheng:Clock:Mode must be System or Simulated, not '3'" },
        { "Minsheng:Reviews:YellowFromPoints", "-5", "Minsheng:Reviews:YellowFromPoints must be from 0 to 100, not -5" },
        { "Minsheng:Reviews:RedAbovePoints", "5", "Minsheng:Reviews:RedAbovePoints must be from YellowFromPoints (10) to 100, not 5" },
        { "Minsheng:Reviews:Monthly:CaseWeight", "-20", "Minsheng:Reviews:Monthly:CaseWeight must be at least 0, not -20" },
        { "Minsheng:Reviews:Monthly:CaseAnswerDays", "0", "Minsheng:Reviews:Monthly:CaseAnswerDays must be at least 1, not 0" },
        { "Minsheng:Reviews:Final:LateCredit", "1.5", "Minsheng:Reviews:Final:LateCredit must be from 0 to 1, not 1.5" },
        { "Minsheng:Limits:MaxMultipleOfTarget", "0", "Minsheng:Limits:MaxMultipleOfTarget must be at least 1, not 0" },
        { "Minsheng:Cluster:AdvertisedIp", "silo-1.internal", "Minsheng:Cluster:AdvertisedIp must be an IP address such as 10.0.0.5, not 'silo-1.internal'" },
        { "Minsheng:Cluster:AdvertisedIp", "", "Minsheng:Cluster:AdvertisedIp must be an IP address such as 10.0.0.5, not ''" },
        { "Minsheng:Cluster:ClusterId", " ", "Minsheng:Cluster:ClusterId must not be empty" },
        { "Minsheng:Cluster:ServiceId", "", "Minsheng:Cluster:ServiceId must not be empty" },
        { "Minsheng:Cluster:SiloPort", "0", "Minsheng:Cluster:SiloPort must be a port number from 1 to 65535, not 0" },
        { "Minsheng:Cluster:GatewayPort", "70000", "Minsheng:Cluster:GatewayPort must be a port number from 1 to 65535, not 70000" },
        { "Minsheng:Cluster:ProbeTimeout", "00:00:00", "Minsheng:Cluster:ProbeTimeout must be positive, not 00:00:00" },
        { "Minsheng:Cluster:NumMissedProbesLimit", "0", "Minsheng:Cluster:NumMissedProbesLimit must be at least 1, not 0" },
        { "Minsheng:Seeds", "/nonexistent/minsheng-seeds", "Minsheng:Seeds must be a folder of *.plan.json files; '/nonexistent/minsheng-seeds' does not exist" },
        { "Minsheng:Seeds", Path.GetTempPath(), "Minsheng:Seeds must be a folder of *.plan.json files; '" },
        { "Minsheng:Auth:SigningKey", "short-key", "Minsheng:Auth:SigningKey must be at least 32 bytes long, not 9" },
        { "Minsheng:Auth:DevKeyFile", Path.GetTempPath(), "Minsheng:Auth:DevKeyFile must be a file, not the folder" },
        { "Minsheng:Demo:Step", "00:00:00", "Minsheng:Demo:Step must be positive, not 00:00:00" },
        { "Minsheng:Demo:Interval", "-00:00:01", "Minsheng:Demo:Interval must not be negative, not -00:00:01" },
        { "Minsheng:Demo:Schedules", "-1", "Minsheng:Demo:Schedules must be at least 0, not -1" },
        { "Minsheng:Demo:AnswerShare", "1.5", "Minsheng:Demo:AnswerShare must be a share from 0 to 1, not 1.5" },
        { "Minsheng:Demo:Mix:Late", "-0.1", "Minsheng:Demo:Mix:Late must be a share from 0 to 1, not -0.1" },
        { "Minsheng:Demo:Mix:Ahead", "0.9", "Minsheng:Demo:Mix:Ahead, Lagging and Late must add up to at most 1" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task A_setting_that_breaks_its_rule_stops_the_host_naming_the_key(string key, string value, string message)
    {
        var failure = await StartFailure(key, value);
        var validation = Assert.Single(Chain(failure).OfType<OptionsValidationException>());
        Assert.Contains(validation.Failures, f => f.Contains(message, StringComparison.Ordinal));
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Unreadable => new()
    {
        { "Minsheng:RateLimit:Burst", "many" },
        { "Minsheng:Alerts:LagTolerance", "ten percent" },
        { "Minsheng:Clock:Mode", "Sideways" },
        { "Minsheng:Storage", "Cassandra" },
        { "Minsheng:Cluster:SiloPort", "eleven" },
        { "Minsheng:Cluster:ListenOnAny", "yes" },
        { "Minsheng:Cluster:ProbeTimeout", "2s" },
        { "Minsheng:Migrate:OnStart", "maybe" },
        { "Minsheng:Dashboard:Enabled", "on" },
        { "Minsheng:Telemetry:Traces", "sometimes" },
        { "Minsheng:Testing:SettleEndpoint", "maybe" },
        { "Minsheng:Demo:Enabled", "perhaps" },
        { "Minsheng:Demo:Step", "a day" },
        { "Minsheng:Clock:Start", "spring" },
    };

    /// <summary>A value that is not even of the setting's type is refused by the binder, which names the key too.</summary>
    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task A_setting_that_cannot_be_read_stops_the_host_naming_the_key(string key, string value)
    {
        var failure = await StartFailure(key, value);
        Assert.Contains(Chain(failure), e => e.Message.Contains($"'{key}'", StringComparison.Ordinal) && e.Message.Contains(value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_defaults_and_the_edges_of_every_rule_start()
    {
        await using var host = new SiloHost()
            .With("Minsheng:Alerts:LagTolerance", "0")
            .With("Minsheng:Limits:InstantMarginDays", "0")
            .With("Minsheng:Metrics:Address", "*")
            .With("Minsheng:Cors:Origins:0", "https://dashboard.example:8443")
            .With("Minsheng:Clock:Mode", "simulated")
            .With("Minsheng:Seeds", RepoPaths.Seeds)
            .With("Minsheng:Cluster:AdvertisedIp", "::1")
            .With("Minsheng:Cluster:ClusterId", "edge")
            .With("Minsheng:Migrate:OnStart", "false")
            .With("Minsheng:Telemetry:Traces", "false")
            .With("Minsheng:Dashboard:Enabled", "False")
            .With("Minsheng:Auth:DevKeyFile", "")
            .With("Minsheng:Demo:Interval", "00:00:00")
            .With("Minsheng:Demo:Mix:Ahead", "0.67")
            .With("Minsheng:Demo:Schedules", "0");
        Assert.Equal(200, (await host.As("viewer").GetJson("/api/v1/plans")).Status);
    }

    private static async Task<Exception> StartFailure(string key, string value)
    {
        await using var host = new SiloHost().With(key, value);
        var failure = Record.Exception(() => host.CreateClient());
        Assert.True(failure is not null, $"{key}={value} started the host");
        return failure;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        yield return e;
        var inner = e is AggregateException aggregate ? aggregate.InnerExceptions : e.InnerException is { } one ? [one] : [];
        foreach (var next in inner)
            foreach (var found in Chain(next)) yield return found;
    }
}
