using System.ComponentModel.DataAnnotations;
using Minsheng.Domain.Notifications;
using Minsheng.Grains.Notifications;

namespace Minsheng.Silo.Notifications;

/// <summary>
/// Body of <c>POST .../subscriptions</c>: which events (<c>events</c>), for which units (<c>units</c>, none: all), to which
/// endpoint, in which format. <c>secret</c> signs the deliveries: the DingTalk robot's 加签 secret (required for
/// <c>dingtalk</c>), or the webhook's HMAC key (made by the service and answered once when not sent).
/// </summary>
public sealed record SubscriptionBody(
    string? Name = null,
    [property: Required] SubscriptionFormat? Format = null,
    [property: Required] string? Endpoint = null,
    string? Secret = null,
    [property: Required] List<NoticeKind>? Events = null,
    List<string>? Units = null);

/// <summary>
/// A subscription as the API shows it: the endpoint with its query values hidden (a DingTalk robot's access_token is a
/// credential), never the secret, except <c>secret</c> in the answer that made it when the service chose it.
/// </summary>
public sealed record SubscriptionView(string Id, string? Name, SubscriptionFormat Format, string Endpoint, IReadOnlyList<NoticeKind> Events,
    IReadOnlyList<string> Units, DateTimeOffset CreatedAt, string CreatedBy, string? Secret = null)
{
    public static SubscriptionView Of(Subscription s, string? secret = null) =>
        new(s.Id, s.Name, s.Format, Redacted(s.Endpoint), s.Events, s.Units, s.CreatedAt, s.CreatedBy, secret);

    /// <summary>The URL with every query value replaced by <c>***</c>.</summary>
    public static string Redacted(Uri endpoint)
    {
        if (string.IsNullOrEmpty(endpoint.Query)) return endpoint.AbsoluteUri;
        var query = string.Join("&", endpoint.Query.TrimStart('?').Split('&')
            .Select(part => part.Split('=', 2) is [var name, _] ? $"{name}=***" : part));
        return new UriBuilder(endpoint) { Query = query }.Uri.AbsoluteUri;
    }
}

/// <summary>Answer of <c>GET .../subscriptions/{id}/deliveries</c>: the notice being tried now, and the deliveries, newest first.</summary>
public sealed record DeliveriesView(string SubscriptionId, PendingDelivery? Pending, IReadOnlyList<DeliveryRecord> Deliveries);
