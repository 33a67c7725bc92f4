using System.Text.Json;
using System.Text.Json.Nodes;
using Minsheng.Domain.Notifications;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;

namespace Minsheng.Silo.Tests.Notifications;

/// <summary>
/// Issue 22's "done when", in one silo on the simulated clock: the office subscribes a webhook and a DingTalk robot to
/// 上塘's warnings, cases and the weekly rankings, both endpoints refuse their first deliveries, and the year runs. Each
/// endpoint then holds every one of those notices exactly once, in the order the plan made them, each webhook signed
/// with its secret and each robot call signed with the robot's; the forecast warning comes twelve weeks before 上塘's
/// lagging case of 3.1 (the reports of <see cref="ForecastAlertTests"/>).
/// </summary>
public sealed class NotificationDeliveryTests(NotificationDeliveryTests.Host host) : IClassFixture<NotificationDeliveryTests.Host>
{
    public sealed class Host : SiloHost
    {
        public Host()
        {
            With("Minsheng:Clock:Mode", "Simulated");
            With("Minsheng:Notifications:AllowedHosts:0", "127.0.0.1");
            With("Minsheng:Notifications:PollInterval", "00:00:00.100");
            With("Minsheng:Notifications:FirstRetryDelay", "00:00:00.200");
            With("Minsheng:Notifications:MaxRetryDelay", "00:00:00.500");
            With("Minsheng:Notifications:AttemptTimeout", "00:00:05");
        }
    }

    private const string Plan = "/api/v1/plans/gongshu-2024";
    private const string WebhookSecret = "webhook-secret-0123456789";
    private const string RobotSecret = "SEC0123456789abcdef0123456789abcdef";

    private async Task At(string now) =>
        Assert.Equal(200, (await host.As("office").PostJson("/api/v1/admin/clock", new { now })).Status);

    private async Task Report(string id, long completed) =>
        Assert.Equal(201, (await host.As("street:shangtang").PostJson($"{Plan}/reports", new { reportId = id, taskId = "3.1", unitId = "shangtang", completed })).Status);

    [Fact]
    public async Task A_webhook_and_a_robot_get_shangtangs_warnings_cases_and_the_rankings_exactly_once_each_in_order()
    {
        await using var webhook = await NotificationReceiver.StartAsync();
        await using var robot = await NotificationReceiver.StartAsync();
        webhook.FailNext(4); // the first attempt (three tries with its quick retries) and one more fail
        robot.FailNext(2, ReceiverFailure.DingTalkTooFast);

        var events = new[] { "forecastLate", "caseOpened", "rankingPublished" };
        var (status, made) = await host.As("office").PostJson($"{Plan}/subscriptions",
            new { name = "上塘街道办", format = "webhook", endpoint = webhook.Url("minsheng").AbsoluteUri, secret = WebhookSecret, events, units = new[] { "shangtang" } });
        Assert.Equal(201, status);
        Assert.Null(made!["secret"]); // sent by the office, not answered back
        var webhookId = made["id"].Str();
        (status, made) = await host.As("office").PostJson($"{Plan}/subscriptions",
            new { format = "dingtalk", endpoint = robot.Url("robot/send?access_token=abc123").AbsoluteUri, secret = RobotSecret, events, units = new[] { "shangtang" } });
        Assert.Equal(201, status);
        Assert.EndsWith("access_token=***", made!["endpoint"].Str());
        var robotId = made["id"].Str();

        await At("2024-03-04T10:00:00+08:00");
        await Report("nd-1", 2);
        await At("2024-04-01T10:00:00+08:00");
        await Report("nd-2", 4);
        await At("2024-05-06T10:00:00+08:00");
        await Report("nd-3", 5);
        for (var day = new DateOnly(2024, 5, 13); day <= new DateOnly(2024, 12, 2); day = day.AddDays(7))
            await At($"{day:yyyy-MM-dd}T10:00:00+08:00");
        await host.Settle();

        // What the plan decided: 上塘's cases, the weekly rankings, and the forecast warnings (one per weekly check that
        // found new at-risk items of 上塘).
        var cases = (await host.As("office").GetOk($"{Plan}/cases")).AsArray().Where(c => c!["unitId"].Str() == "shangtang")
            .Select(c => $"caseOpened:{c!["id"].Str()}").ToHashSet();
        Assert.Contains(cases, c => c.StartsWith("caseOpened:", StringComparison.Ordinal));
        var weeks = (await host.As("office").GetOk($"{Plan}/reviews"))["weekly"]!.AsArray().Select(w => $"rankingPublished:{w!["week"].Str()}").ToHashSet();
        Assert.True(weeks.Count >= 39, $"{weeks.Count} weekly rankings");

        var expectedCount = await WaitForHistory(webhookId, cases.Count + weeks.Count);
        var delivered = await webhook.WaitForEffective(expectedCount, TimeSpan.FromSeconds(60));
        var bodies = delivered.Select(r => JsonNode.Parse(r.Body)!).ToList();
        var ids = bodies.Select(b => b["noticeId"].Str()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count()); // exactly once each
        Assert.Superset(cases, ids.ToHashSet());
        Assert.Superset(weeks, ids.ToHashSet());
        var warnings = ids.Where(i => i.StartsWith("forecastLate:shangtang:", StringComparison.Ordinal)).ToList();
        Assert.Equal(ids.Count, cases.Count + weeks.Count + warnings.Count);
        Assert.Contains("forecastLate:shangtang:2024-05-06", warnings);
        // The warning came twelve weeks before 上塘's lagging case of 3.1 opened.
        var case31 = (await host.As("office").GetOk($"{Plan}/cases?taskId=3.1&unitId=shangtang")).AsArray().Single(c => c!["kind"].Str() == "lagging")!;
        Assert.Equal("2024-07-29T09:00:00+08:00", case31["openedAt"].Str());
        Assert.True(ids.IndexOf("forecastLate:shangtang:2024-05-06") < ids.IndexOf($"caseOpened:{case31["id"].Str()}"));
        // In the plan's order: each body's sequence is higher than the one before.
        var sequences = bodies.Select(b => b["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        // Signed: every delivery verifies with the subscription's secret and carries its idempotency key.
        foreach (var r in delivered)
        {
            Assert.True(WebhookSignature.Verify(WebhookSecret, r.Header(WebhookSignature.Header), r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10)));
            Assert.Equal(JsonNode.Parse(r.Body)!["deliveryId"].Str(), r.IdempotencyKey);
            Assert.StartsWith(webhookId, r.IdempotencyKey);
        }
        Assert.True(webhook.Requests.Count > delivered.Count, "the refused first tries were made");

        // The robot: the same notices, once each (a refused call is not a message), signed with the robot's secret.
        var robotCount = await WaitForHistory(robotId, expectedCount);
        Assert.Equal(expectedCount, robotCount);
        var messages = await robot.WaitForEffective(expectedCount, TimeSpan.FromSeconds(60));
        Assert.Equal(expectedCount, messages.Count);
        var titles = messages.Select(m => JsonNode.Parse(m.Body)!["markdown"]!["title"].Str()).ToList();
        Assert.Equal(titles.Count, titles.Distinct().Count());
        Assert.Contains(titles, t => t.StartsWith("预计逾期预警：上塘街道", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.StartsWith("个案督办 ", StringComparison.Ordinal) && t.Contains("上塘街道", StringComparison.Ordinal));
        foreach (var m in messages)
        {
            Assert.Equal("abc123", m.Query("access_token"));
            Assert.True(DingTalkRobot.Verify(RobotSecret, m.Query("timestamp")!, m.Query("sign")!, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10)));
        }

        // The delivery history: every one delivered, the first after its retries; nothing pending.
        var history = await host.As("office").GetOk($"{Plan}/subscriptions/{webhookId}/deliveries?limit=500");
        Assert.Null(history["pending"]);
        var lines = history["deliveries"]!.AsArray();
        Assert.Equal(expectedCount, lines.Count);
        Assert.All(lines, l => Assert.Equal("delivered", l!["state"].Str()));
        Assert.True(lines[^1]!["attempts"]!.GetValue<int>() >= 2);
    }

    /// <summary>Waits until a subscription has nothing pending and at least <paramref name="atLeast"/> deliveries; their count.</summary>
    private async Task<int> WaitForHistory(string subscriptionId, int atLeast)
    {
        var h = await Poll.Until(() => host.As("office").GetOk($"{Plan}/subscriptions/{subscriptionId}/deliveries?limit=500"),
            h => h["pending"] is null && h["deliveries"]!.AsArray().Count >= atLeast,
            $"subscription {subscriptionId} to deliver at least {atLeast} notices", TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
        var count = h["deliveries"]!.AsArray().Count;
        return count;
    }
}
