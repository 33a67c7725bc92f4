using System.Text.Json;
using Minsheng.Domain.Notifications;

namespace Minsheng.Domain.Tests.Notifications;

/// <summary>Subscriptions, notices and deliveries for the notification tests.</summary>
internal static class Deliveries
{
    public static readonly DateTimeOffset Monday = new(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));

    public static Notice CaseOpened() => new(
        "gongshu-2024", "caseOpened:C0003", NoticeKind.CaseOpened, Monday, ["wulin"],
        "个案督办：武林街道加装电梯进度滞后",
        "### 个案督办\n> 武林街道 **加装电梯** 连续 4 周滞后 & 需说明原因",
        JsonDocument.Parse("""{"caseId":"C0003","unitId":"wulin","weeks":4}""").RootElement.Clone());

    public static DeliveryWork Work(SubscriptionFormat format = SubscriptionFormat.Webhook, string endpoint = "https://hooks.example.gov.cn/minsheng") =>
        new(new Subscription("sub-1", "gongshu-2024", "区督查室", format, new Uri(endpoint), "whsec-测试-secret", [NoticeKind.CaseOpened], [],
            Monday.AddDays(-1), "office"), CaseOpened(), 7, 0, null);
}
