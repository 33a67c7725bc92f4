using System.Text.Json.Nodes;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// Notifications in PostgreSQL mode across a SIGKILL: a silo killed while its deliveries hang at the endpoint delivers
/// them after the restart (its lease on the subscription runs out), each effectively once and in order; the cases'
/// notices were stored with the cases, so none is lost to the kill.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NotificationDurabilityTests
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    [Fact]
    public async Task A_silo_killed_with_deliveries_in_flight_delivers_them_after_the_restart_once_each_in_order()
    {
        var db = await TestPostgres.CreateDatabase();
        await using var receiver = await NotificationReceiver.StartAsync();
        receiver.FailAll(ReceiverFailure.Hang);
        await using var silo = TestSilos.Process(db, new Dictionary<string, string>
        {
            ["Minsheng:Clock:Mode"] = "Simulated",
            ["Minsheng:Notifications:AllowedHosts:0"] = "127.0.0.1",
            ["Minsheng:Notifications:AttemptTimeout"] = "00:00:02",
            ["Minsheng:Notifications:PollInterval"] = "00:00:00.200",
            ["Minsheng:Notifications:FirstRetryDelay"] = "00:00:00.200",
            ["Minsheng:Notifications:MaxRetryDelay"] = "00:00:01",
        });
        await silo.Start();
        using (var office = silo.As("office"))
        {
            var (status, made) = await office.PostJson($"{Plan}/subscriptions",
                new { format = "webhook", endpoint = receiver.Url("hook").AbsoluteUri, events = new[] { "caseOpened" } });
            Assert.Equal(201, status);
            Assert.True(made!["secret"].Str().Length >= 40, "a made secret is answered once");
            foreach (var (task, unit) in new[] { ("3.1", "shangtang"), ("3.1", "wulin"), ("6.2", "shangtang") })
                Assert.Equal(201, (await office.PostJson($"{Plan}/cases", new { taskId = task, unitId = unit, reason = "进度明显滞后，请说明情况" })).Status);
        }
        // The first delivery is in flight (the endpoint holds it) when the silo dies.
        await receiver.WaitForRequests(1, TimeSpan.FromSeconds(30));
        await silo.Kill();
        Assert.Equal(0, receiver.EffectiveCount);
        receiver.Heal();
        await silo.Start();

        var delivered = await receiver.WaitForEffective(3, TimeSpan.FromSeconds(90));
        var ids = delivered.Select(r => JsonNode.Parse(r.Body)!["noticeId"].Str()).ToList();
        Assert.Equal(["caseOpened:C0001", "caseOpened:C0002", "caseOpened:C0003"], ids);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, receiver.EffectiveCount);
        Assert.Equal(3, await TestPostgres.Scalar(db, "SELECT count(*) FROM minsheng_deliveries WHERE state = 'delivered'"));
        Assert.Equal(0, await TestPostgres.Scalar(db, "SELECT count(*) FROM minsheng_subscriptions WHERE head_seq IS NOT NULL"));
    }
}
