using System.Text.Json;
using Minsheng.Domain.Notifications;

namespace Minsheng.Domain.Tests.Notifications;

/// <summary>Which notices a subscription asks for (<see cref="Subscription.Wants"/>).</summary>
public sealed class SubscriptionNoticesTests
{
    private static readonly DateTimeOffset Monday = new(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));

    private static Subscription Subscription(NoticeKind[] events, string[] units, string planId = "gongshu-2024") =>
        new("sub-1", planId, "区督查室", SubscriptionFormat.Webhook, new Uri("https://hooks.example.gov.cn/minsheng"), "secret", events, units,
            Monday.AddDays(-1), "office");

    private static Notice Notice(NoticeKind kind, params string[] units) =>
        new("gongshu-2024", $"{kind}:test", kind, Monday, units, "标题", "正文", JsonDocument.Parse("{}").RootElement.Clone());

    [Fact]
    public void Only_the_kinds_asked_for()
    {
        var subscription = Subscription([NoticeKind.CaseOpened, NoticeKind.Digest], []);
        Assert.True(subscription.Wants(Notice(NoticeKind.CaseOpened, "shangtang")));
        Assert.True(subscription.Wants(Notice(NoticeKind.Digest, "health")));
        Assert.False(subscription.Wants(Notice(NoticeKind.DeadlineNear, "shangtang")));
        Assert.False(subscription.Wants(Notice(NoticeKind.RankingPublished)));
        Assert.False(Subscription([], []).Wants(Notice(NoticeKind.CaseOpened, "shangtang")));
    }

    [Fact]
    public void No_units_named_means_every_unit()
    {
        var subscription = Subscription([NoticeKind.DeadlineNear], []);
        Assert.True(subscription.Wants(Notice(NoticeKind.DeadlineNear, "shangtang", "health")));
        Assert.True(subscription.Wants(Notice(NoticeKind.DeadlineNear, "education")));
    }

    [Fact]
    public void Named_units_want_a_notice_sharing_any_of_them()
    {
        var subscription = Subscription([NoticeKind.DeadlineNear, NoticeKind.CaseOpened], ["wulin", "housing-construction"]);
        Assert.True(subscription.Wants(Notice(NoticeKind.DeadlineNear, "wulin")));
        Assert.True(subscription.Wants(Notice(NoticeKind.DeadlineNear, "shangtang", "housing-construction")));
        Assert.True(subscription.Wants(Notice(NoticeKind.CaseOpened, "district", "housing-construction", "xu-leiting")));
        Assert.False(subscription.Wants(Notice(NoticeKind.DeadlineNear, "shangtang", "health")));
        Assert.False(subscription.Wants(Notice(NoticeKind.DeadlineNear, "Wulin"))); // ids compare exactly
    }

    [Fact]
    public void A_notice_about_the_whole_plan_goes_to_every_subscription_of_its_kind()
    {
        Assert.True(Subscription([NoticeKind.RankingPublished], ["wulin"]).Wants(Notice(NoticeKind.RankingPublished)));
        Assert.True(Subscription([NoticeKind.EvaluationPublished], []).Wants(Notice(NoticeKind.EvaluationPublished)));
        Assert.False(Subscription([NoticeKind.RankingPublished], ["wulin"]).Wants(Notice(NoticeKind.EvaluationPublished)));
    }

    [Fact]
    public void Another_plan_never()
    {
        Assert.False(Subscription([NoticeKind.CaseOpened], [], "xihu-2024").Wants(Notice(NoticeKind.CaseOpened, "shangtang")));
        Assert.False(Subscription([NoticeKind.RankingPublished], [], "xihu-2024").Wants(Notice(NoticeKind.RankingPublished)));
        Assert.False(Subscription([NoticeKind.CaseOpened], ["shangtang"], "xihu-2024").Wants(Notice(NoticeKind.CaseOpened, "shangtang")));
    }
}
