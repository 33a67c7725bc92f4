using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;

namespace Minsheng.Silo.Tests.Notifications;

/// <summary>
/// An endpoint that never takes a delivery: reporting goes on meanwhile; after <c>GiveUpAfter</c> the notice is shown as
/// failed in the subscription's history and the next one goes; another subscription is not held up by it. The
/// subscriptions API refuses what it must (an address off the list, a robot without its secret, a unit not in the plan,
/// anyone but the office) and changes nothing.
/// </summary>
public sealed class DeliveryGiveUpTests(DeliveryGiveUpTests.Host host) : IClassFixture<DeliveryGiveUpTests.Host>
{
    public sealed class Host : SiloHost
    {
        public Host()
        {
            With("Minsheng:Clock:Mode", "Simulated");
            With("Minsheng:Notifications:AllowedHosts:0", "127.0.0.1");
            With("Minsheng:Notifications:PollInterval", "00:00:00.100");
            With("Minsheng:Notifications:AttemptTimeout", "00:00:01");
            With("Minsheng:Notifications:FirstRetryDelay", "00:00:00.200");
            With("Minsheng:Notifications:MaxRetryDelay", "00:00:00.400");
            With("Minsheng:Notifications:GiveUpAfter", "00:00:03");
        }
    }

    private const string Plan = "/api/v1/plans/gongshu-2024";

    private async Task<string> Subscribe(NotificationReceiver receiver)
    {
        var (status, made) = await host.As("office").PostJson($"{Plan}/subscriptions",
            new { format = "webhook", endpoint = receiver.Url("hook").AbsoluteUri, events = new[] { "caseOpened" } });
        Assert.Equal(201, status);
        return made!["id"].Str();
    }

    private async Task OpenCase(string task, string unit) =>
        Assert.Equal(201, (await host.As("office").PostJson($"{Plan}/cases", new { taskId = task, unitId = unit, reason = "请说明滞后原因" })).Status);

    [Fact]
    public async Task A_dead_endpoint_is_given_up_as_failed_and_holds_up_nothing_else()
    {
        await using var dead = await NotificationReceiver.StartAsync();
        await using var alive = await NotificationReceiver.StartAsync();
        dead.FailAll(ReceiverFailure.Hang);
        var deadId = await Subscribe(dead);
        await Subscribe(alive);
        await OpenCase("3.1", "shangtang");
        await dead.WaitForRequests(1, TimeSpan.FromSeconds(20));
        // Reports are taken while a delivery hangs: nothing of notifications is on their path.
        Assert.Equal(201, (await host.As("street:shangtang").PostJson($"{Plan}/reports",
            new { reportId = "gu-1", taskId = "3.1", unitId = "shangtang", completed = 1 })).Status);
        await OpenCase("3.1", "wulin");
        await alive.WaitForEffective(2, TimeSpan.FromSeconds(20));

        var history = await Poll.Until(() => host.As("office").GetOk($"{Plan}/subscriptions/{deadId}/deliveries"),
            h => h["deliveries"]!.AsArray().Count >= 1, "the dead endpoint's first notice to be given up", TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(200));
        var failed = history["deliveries"]!.AsArray()[^1]!;
        Assert.Equal(("caseOpened:C0001", "failed"), (failed["noticeId"].Str(), failed["state"].Str()));
        Assert.True(failed["attempts"]!.GetValue<int>() >= 2);
        Assert.Contains("timed out", failed["lastError"].Str());
        // The next notice is now the one being tried.
        var pending = (await Poll.Until(() => host.As("office").GetOk($"{Plan}/subscriptions/{deadId}/deliveries"),
            h => h["pending"] is JsonObject p && p["noticeId"].Str() == "caseOpened:C0002", "the next notice to be tried",
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200)))["pending"]!;
        Assert.Equal("caseOpened", pending["event"].Str());
        Assert.Equal(0, dead.EffectiveCount);
    }

    [Fact]
    public async Task The_subscriptions_api_refuses_what_it_must_and_changes_nothing()
    {
        var before = (await host.As("office").GetOk($"{Plan}/subscriptions")).AsArray().Count;
        async Task Refused(string role, object body, int status, string field)
        {
            var (got, problem) = await host.As(role).PostJson($"{Plan}/subscriptions", body);
            Assert.True(got == status, $"{got} {problem.Canonical()}");
            if (status != 403) Assert.Equal(field, problem!["field"].Str());
        }
        await Refused("office", new { format = "webhook", endpoint = "https://evil.example.com/hook", events = new[] { "digest" } }, 400, "endpoint");
        await Refused("office", new { format = "dingtalk", endpoint = "http://127.0.0.1:9/robot/send?access_token=x", events = new[] { "digest" } }, 400, "secret");
        await Refused("office", new { format = "webhook", endpoint = "http://127.0.0.1:9/hook", events = new[] { "digest" }, units = new[] { "shangtang", "atlantis" } }, 422, "units[1]");
        await Refused("office", new { format = "webhook", endpoint = "http://127.0.0.1:9/hook", events = Array.Empty<string>() }, 400, "events");
        await Refused("office", new { format = "webhook", endpoint = "http://127.0.0.1:9/hook", events = new[] { "everything" } }, 400, "events[0]");
        await Refused("office", new { format = "fax", endpoint = "http://127.0.0.1:9/hook", events = new[] { "digest" } }, 400, "format");
        await Refused("street:shangtang", new { format = "webhook", endpoint = "http://127.0.0.1:9/hook", events = new[] { "digest" } }, 403, "role");
        await Refused("viewer", new { format = "webhook", endpoint = "http://127.0.0.1:9/hook", events = new[] { "digest" } }, 403, "role");
        Assert.Equal(before, (await host.As("office").GetOk($"{Plan}/subscriptions")).AsArray().Count);
        Assert.Equal(403, (await host.As("viewer").GetJson($"{Plan}/subscriptions")).Status);
        Assert.Equal(404, (int)(await host.As("office").DeleteAsync($"{Plan}/subscriptions/sub-nothing")).StatusCode);
        Assert.Equal(404, (await host.As("office").GetJson($"{Plan}/subscriptions/sub-nothing/deliveries")).Status);

        // Made, listed without its secret, removed with its history.
        var (status, made) = await host.As("office").PostJson($"{Plan}/subscriptions",
            new { name = "临时", format = "webhook", endpoint = "http://127.0.0.1:9/hook?key=k1", events = new[] { "digest" } });
        Assert.Equal(201, status);
        var id = made!["id"].Str();
        var listed = (await host.As("office").GetOk($"{Plan}/subscriptions")).AsArray().Single(x => x!["id"].Str() == id)!;
        Assert.Null(listed["secret"]);
        Assert.Equal("http://127.0.0.1:9/hook?key=***", listed["endpoint"].Str());
        Assert.Equal(204, (int)(await host.As("office").DeleteAsync($"{Plan}/subscriptions/{id}")).StatusCode);
        Assert.Equal(before, (await host.As("office").GetOk($"{Plan}/subscriptions")).AsArray().Count);
        Assert.Equal(404, (await host.As("office").GetJson($"{Plan}/subscriptions/{id}/deliveries")).Status);
    }
}
