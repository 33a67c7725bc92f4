using System.Text.Json.Serialization;

namespace Minsheng.Domain.Notifications;

/// <summary>How a subscription's notifications are sent.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubscriptionFormat>))]
public enum SubscriptionFormat
{
    /// <summary>A JSON POST signed with HMAC-SHA256 over the timestamp and the body, with an idempotency key.</summary>
    [JsonStringEnumMemberName("webhook")] Webhook,

    /// <summary>A DingTalk (钉钉 / 浙政钉) custom robot: a Chinese markdown message, signed with the robot's secret.</summary>
    [JsonStringEnumMemberName("dingtalk")] DingTalk,
}
