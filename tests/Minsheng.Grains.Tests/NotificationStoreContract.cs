using System.Text.Json;
using Minsheng.Domain.Notifications;
using Minsheng.Grains.Notifications;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The contract every notification store keeps (in memory here, PostgreSQL in Minsheng.Persistence.Tests): a notice is
/// stored once and numbered in order; a subscription starts after the latest notice, gets the notices it wants in order,
/// one at a time; delivering or giving up moves it on and writes its history, a failed attempt sets its next try; only
/// the lease's holder records, and a leased subscription is not claimed twice.
/// </summary>
public abstract class NotificationStoreContract
{
    protected abstract INotificationStore Store { get; }

    private static readonly DateTimeOffset T0 = new(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static Notice N(string plan, string id, NoticeKind kind = NoticeKind.CaseOpened, params string[] units) =>
        new(plan, id, kind, T0, units, $"标题 {id}", $"### {id}\n- 内容", JsonSerializer.SerializeToElement(new { id }));

    private static Subscription S(string plan, string id, NoticeKind[] events, string[]? units = null, int minute = 0) =>
        new(id, plan, "测试", SubscriptionFormat.Webhook, new Uri("https://hooks.example.gov.cn/minsheng?token=t"), "0123456789abcdef0123",
            events, units ?? [], T0.AddMinutes(minute), "办公室 (u-1)");

    private async Task<DeliveryWork> ClaimOne(string worker, string subscriptionId, DateTimeOffset? at = null) =>
        Assert.Single(await Store.Claim(worker, at ?? DateTimeOffset.UtcNow, Lease, 100), w => w.Subscription.Id == subscriptionId);

    [Fact]
    public async Task A_subscription_gets_the_notices_it_wants_after_it_was_made_in_order_once_each()
    {
        var plan = $"p-{Guid.NewGuid():N}";
        await Store.Append(plan, [N(plan, "old")]);
        await Store.Add(S(plan, $"{plan}-a", [NoticeKind.CaseOpened, NoticeKind.RankingPublished], ["shangtang"]));
        await Store.Append(plan, [N(plan, "c1", NoticeKind.CaseOpened, "shangtang", "housing-construction"), N(plan, "c2", NoticeKind.CaseOpened, "wulin"),
            N(plan, "f1", NoticeKind.ForecastLate, "shangtang"), N(plan, "r1", NoticeKind.RankingPublished)]);
        await Store.Append(plan, [N(plan, "c1", NoticeKind.CaseOpened, "shangtang")]); // stored again: nothing changes

        var seen = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var claimed = (await Store.Claim("w1", DateTimeOffset.UtcNow, Lease, 100)).Where(w => w.Subscription.PlanId == plan).ToList();
            if (claimed.Count == 0) break;
            var work = Assert.Single(claimed);
            Assert.Equal(0, work.Attempts);
            Assert.Equal($"{work.Subscription.Id}-{work.Sequence}", work.DeliveryId);
            seen.Add(work.Notice.Id);
            Assert.True(await Store.Record("w1", work, new DeliveryAttempt(true, 200, null), DateTimeOffset.UtcNow, null));
        }
        Assert.Equal(["c1", "r1"], seen);
        var history = await Store.History(plan, $"{plan}-a", 10);
        Assert.NotNull(history);
        Assert.Null(history.Pending);
        Assert.Equal(["r1", "c1"], history.Deliveries.Select(d => d.NoticeId));
        Assert.All(history.Deliveries, d => Assert.Equal(DeliveryState.Delivered, d.State));
        Assert.Equal("标题 c1", history.Deliveries[1].Title);
    }

    [Fact]
    public async Task A_failed_attempt_waits_for_its_retry_and_holds_the_notices_behind_it()
    {
        var plan = $"p-{Guid.NewGuid():N}";
        var id = $"{plan}-a";
        await Store.Add(S(plan, id, [NoticeKind.CaseOpened]));
        await Store.Append(plan, [N(plan, "c1"), N(plan, "c2")]);
        var now = DateTimeOffset.UtcNow;
        var first = await ClaimOne("w1", id, now);
        Assert.Equal("c1", first.Notice.Id);
        Assert.True(await Store.Record("w1", first, new DeliveryAttempt(false, 500, "HTTP 500"), now, now.AddMinutes(1)));
        Assert.DoesNotContain(await Store.Claim("w1", now.AddSeconds(30), Lease, 100), w => w.Subscription.Id == id);
        var pending = (await Store.History(plan, id, 10))!.Pending;
        Assert.NotNull(pending);
        Assert.Equal(("c1", 1, 500, "HTTP 500"), (pending.NoticeId, pending.Attempts, pending.LastStatus, pending.LastError));
        Assert.Equal(now.AddMinutes(1).ToUnixTimeMilliseconds(), pending.NextAttemptAt!.Value.ToUnixTimeMilliseconds());

        var second = await ClaimOne("w1", id, now.AddMinutes(2));
        Assert.Equal(("c1", 1), (second.Notice.Id, second.Attempts));
        Assert.Equal(now.ToUnixTimeMilliseconds(), second.FirstAttemptAt!.Value.ToUnixTimeMilliseconds());
        // Given up: failed in the history, and the next notice comes.
        Assert.True(await Store.Record("w1", second, new DeliveryAttempt(false, null, "timeout"), now.AddMinutes(2), null));
        var third = await ClaimOne("w1", id, now.AddMinutes(2));
        Assert.Equal(("c2", 0), (third.Notice.Id, third.Attempts));
        var failed = Assert.Single((await Store.History(plan, id, 10))!.Deliveries);
        Assert.Equal((DeliveryState.Failed, 2, "timeout"), (failed.State, failed.Attempts, failed.LastError));
    }

    [Fact]
    public async Task A_leased_subscription_is_not_claimed_twice_and_only_the_holder_records()
    {
        var plan = $"p-{Guid.NewGuid():N}";
        var id = $"{plan}-a";
        await Store.Add(S(plan, id, [NoticeKind.Digest]));
        await Store.Append(plan, [N(plan, "d1", NoticeKind.Digest, "shangtang")]);
        var now = DateTimeOffset.UtcNow;
        var held = await ClaimOne("w1", id, now);
        Assert.DoesNotContain(await Store.Claim("w2", now.AddSeconds(1), Lease, 100), w => w.Subscription.Id == id);
        // The lease runs out (the holder froze): another worker takes it, and the old holder's outcome is refused.
        var taken = await ClaimOne("w2", id, now + Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(held.Sequence, taken.Sequence);
        Assert.False(await Store.Record("w1", held, new DeliveryAttempt(true, 200, null), now, null));
        Assert.True(await Store.Record("w2", taken, new DeliveryAttempt(true, 200, null), now, null));
        Assert.Single((await Store.History(plan, id, 10))!.Deliveries);
    }

    [Fact]
    public async Task Subscriptions_are_listed_found_and_removed_with_their_history()
    {
        var plan = $"p-{Guid.NewGuid():N}";
        await Store.Add(S(plan, $"{plan}-b", [NoticeKind.Digest], minute: 2));
        await Store.Add(S(plan, $"{plan}-a", [NoticeKind.CaseOpened, NoticeKind.Digest], ["wulin", "education"], minute: 1));
        var list = await Store.List(plan);
        Assert.Equal([$"{plan}-a", $"{plan}-b"], list.Select(s => s.Id));
        var a = list[0];
        Assert.Equal(("测试", SubscriptionFormat.Webhook, "https://hooks.example.gov.cn/minsheng?token=t", "0123456789abcdef0123"),
            (a.Name, a.Format, a.Endpoint.AbsoluteUri, a.Secret));
        Assert.Equal([NoticeKind.CaseOpened, NoticeKind.Digest], a.Events);
        Assert.Equal(["wulin", "education"], a.Units);
        Assert.Equal(T0.AddMinutes(1).ToUnixTimeMilliseconds(), a.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Null(await Store.Find("another-plan", a.Id));
        Assert.False(await Store.Remove("another-plan", a.Id));
        Assert.True(await Store.Remove(plan, a.Id));
        Assert.Null(await Store.Find(plan, a.Id));
        Assert.Null(await Store.History(plan, a.Id, 10));
        Assert.False(await Store.Remove(plan, a.Id));
    }
}
