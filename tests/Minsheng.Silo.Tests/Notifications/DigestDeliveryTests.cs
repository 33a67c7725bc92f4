using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;

namespace Minsheng.Silo.Tests.Notifications;

/// <summary>
/// The daily digest (issue 22, item 3): one notification per unit per day at the configured hour on the business clock,
/// never twice however the clock moves within a day, and after a jump of days only the digest that is still news.
/// </summary>
public sealed class DigestDeliveryTests(DigestDeliveryTests.Host host) : IClassFixture<DigestDeliveryTests.Host>
{
    public sealed class Host : SiloHost
    {
        public Host()
        {
            With("Minsheng:Clock:Mode", "Simulated");
            With("Minsheng:Alerts:DigestTime", "08:30");
            With("Minsheng:Notifications:AllowedHosts:0", "127.0.0.1");
            With("Minsheng:Notifications:PollInterval", "00:00:00.100");
        }
    }

    private const string Plan = "/api/v1/plans/gongshu-2024";

    private async Task At(string now) =>
        Assert.Equal(200, (await host.As("office").PostJson("/api/v1/admin/clock", new { now })).Status);

    [Fact]
    public async Task Each_unit_gets_one_digest_a_day_at_the_configured_hour_and_never_two()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var other = await NotificationReceiver.StartAsync();
        var (status, _) = await host.As("office").PostJson($"{Plan}/subscriptions",
            new { format = "webhook", endpoint = receiver.Url("digest").AbsoluteUri, events = new[] { "digest" }, units = new[] { "shangtang", "education" } });
        Assert.Equal(201, status);
        (status, _) = await host.As("office").PostJson($"{Plan}/subscriptions",
            new { format = "webhook", endpoint = other.Url("cases").AbsoluteUri, events = new[] { "caseOpened" }, units = new[] { "shangtang" } });
        Assert.Equal(201, status);
        Assert.Equal(201, (await host.As("street:shangtang").PostJson($"{Plan}/reports",
            new { reportId = "dg-1", taskId = "3.1", unitId = "shangtang", completed = 3 })).Status);

        await At("2024-03-01T08:00:00+08:00"); // before the hour: nothing yet today
        await At("2024-03-01T08:30:00+08:00");
        await At("2024-03-01T12:00:00+08:00");
        await At("2024-03-01T23:59:00+08:00");
        await At("2024-03-02T09:00:00+08:00");
        await At("2024-03-10T09:00:00+08:00"); // a jump: the digests of 03-03 to 03-09 are no longer news
        await host.Settle();

        var expected = new[] { "2024-02-29", "2024-03-01", "2024-03-02", "2024-03-10" }
            .SelectMany(d => new[] { $"digest:shangtang:{d}", $"digest:education:{d}" }).ToHashSet();
        var delivered = await receiver.WaitForEffective(expected.Count, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1)); // nothing more comes
        var bodies = receiver.Effective.Select(r => JsonNode.Parse(r.Body)!).ToList();
        var ids = bodies.Select(b => b["noticeId"].Str()).ToList();
        Assert.Equal(expected.Order(), ids.Order());
        Assert.Equal(ids.Count, receiver.Requests.Count);

        // 上塘's digest of 03-02: 3 of 14 lifts done, the rest due; everything at 08:30 on the business clock.
        var shangtang = bodies.Single(b => b["noticeId"].Str() == "digest:shangtang:2024-03-02")!;
        Assert.Equal("2024-03-02T08:30:00+08:00", shangtang["at"].Str());
        var due = shangtang["data"]!["due"]!.AsArray();
        var lifts = due.Single(d => d!["taskId"].Str() == "3.1")!;
        Assert.Equal((3L, 14L), (lifts["completed"]!.GetValue<long>(), lifts["target"]!.GetValue<long>()));
        Assert.Equal(273, shangtang["data"]!["daysToDeadline"]!.GetValue<int>());
        Assert.StartsWith("每日提醒 2024-03-02：上塘街道", shangtang["title"].Str());
        Assert.Empty(other.Requests);
    }
}
