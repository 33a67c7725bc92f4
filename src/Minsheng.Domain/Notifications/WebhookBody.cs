using System.Text.Encodings.Web;
using System.Text.Json;

namespace Minsheng.Domain.Notifications;

/// <summary>
/// The JSON body of a webhook delivery (camelCase, Chinese as it is): which delivery, subscription, plan and notice it
/// is, the notice's kind as its wire name (<c>event</c>), its place in the plan's order, the Chinese title and markdown,
/// and the facts for machines (<c>data</c>). The signature covers these bytes exactly as sent.
/// </summary>
/// <param name="DeliveryId">The idempotency key: the same for every attempt of this notice to this subscription.</param>
/// <param name="Event">The <see cref="NoticeKind"/>'s wire name, e.g. <c>caseOpened</c>.</param>
public sealed record WebhookBody(
    string DeliveryId,
    string SubscriptionId,
    string PlanId,
    string Event,
    string NoticeId,
    long Sequence,
    DateTimeOffset At,
    string Title,
    string Markdown,
    JsonElement Data)
{
    /// <summary>The JSON settings of the body: the API's camelCase; only what JSON itself requires is escaped (a body, never HTML).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The body of <paramref name="work"/>.</summary>
    public static WebhookBody Of(DeliveryWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var notice = work.Notice;
        return new(work.DeliveryId, work.Subscription.Id, notice.PlanId, notice.Kind.WireName(), notice.Id, work.Sequence,
            notice.At, notice.Title, notice.Markdown, notice.Data.ValueKind == JsonValueKind.Undefined ? NoData : notice.Data);
    }

    /// <summary>What <c>data</c> holds for a notice made without facts: an empty object.</summary>
    private static readonly JsonElement NoData = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The bytes that are sent and signed for <paramref name="work"/>.</summary>
    public static byte[] Bytes(DeliveryWork work) => Of(work).ToUtf8();

    /// <summary>This body as UTF-8 JSON.</summary>
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>A body read back (a receiver's or a test's side).</summary>
    public static WebhookBody Parse(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<WebhookBody>(utf8, Json) ?? throw new JsonException("a webhook body is a JSON object, not null");
}
