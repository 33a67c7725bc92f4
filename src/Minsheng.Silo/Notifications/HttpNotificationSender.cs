using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minsheng.Domain;
using Minsheng.Domain.Notifications;
using Polly.Timeout;

namespace Minsheng.Silo.Notifications;

/// <summary>
/// Sends deliveries over HTTP with the notification client (<see cref="ClientName"/>: no redirects, no proxy,
/// internal addresses refused at connect, a timeout per try and a couple of quick retries of a transient failure).
/// A webhook gets the <see cref="WebhookBody"/> signed with <see cref="WebhookSignature"/>, its kind, and the delivery
/// id as idempotency key; a DingTalk robot gets the markdown message at its signed URL, and has taken it only when it
/// answers <c>errcode</c> 0. Errors are short English without the secret or a robot's <c>access_token</c>.
/// </summary>
public sealed partial class HttpNotificationSender(IHttpClientFactory clients, IOptions<NotificationOptions> options, ILogger<HttpNotificationSender> logger)
    : INotificationSender
{
    /// <summary>The name of the notification <see cref="HttpClient"/>.</summary>
    public const string ClientName = "Minsheng.Notifications";

    /// <summary>Sent as <c>User-Agent</c>.</summary>
    public const string UserAgent = "Minsheng-Notifications/1";

    public const string EventHeader = "X-Minsheng-Event";
    public const string DeliveryHeader = "X-Minsheng-Delivery";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The most of a DingTalk answer that is read (it is a few dozen bytes).</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    private readonly NotificationOptions _options = options.Value;
    private readonly EndpointPolicy _policy = options.Value.ToPolicy();

    /// <summary>The clock the signatures carry: always the real one (a receiver checks it against its own), never a simulated business clock.</summary>
    private readonly TimeProvider _clock = TimeProvider.System;

    /// <inheritdoc />
    public async Task<DeliveryAttempt> Send(DeliveryWork work, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(work);
        var subscription = work.Subscription;
        var endpoint = NotificationRedaction.Url(subscription.Endpoint);
        LogSending(work.DeliveryId, subscription.Format, endpoint, work.Attempts + 1);
        if (_policy.Check(subscription.Endpoint) is not null)
            return Outcome(work, endpoint, new(false, null, $"endpoint not allowed: host {EndpointPolicy.HostOf(subscription.Endpoint)} is not in AllowedHosts"));
        try
        {
            using var request = subscription.Format switch
            {
                SubscriptionFormat.Webhook => WebhookRequest(work),
                SubscriptionFormat.DingTalk => DingTalkRequest(work),
                _ => throw new NotSupportedException($"format {subscription.Format}"),
            };
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
            return Outcome(work, endpoint, await Judge(subscription.Format, response, cancellation));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return Outcome(work, endpoint, new(false, null, NotificationRedaction.Text(Describe(e), subscription.Secret)));
        }
    }

    private HttpRequestMessage WebhookRequest(DeliveryWork work)
    {
        var body = WebhookBody.Bytes(work);
        var request = new HttpRequestMessage(HttpMethod.Post, work.Subscription.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Create(work.Subscription.Secret, _clock.GetUtcNow(), body));
        request.Headers.TryAddWithoutValidation(EventHeader, work.Notice.Kind.WireName());
        request.Headers.TryAddWithoutValidation(DeliveryHeader, work.DeliveryId);
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, work.DeliveryId);
        return request;
    }

    private HttpRequestMessage DingTalkRequest(DeliveryWork work)
    {
        var url = DingTalkRobot.SignedUrl(work.Subscription.Endpoint, work.Subscription.Secret, _clock.GetUtcNow());
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(DingTalkRobot.Message(work.Notice)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return request;
    }

    /// <summary>What an answer comes to: 2xx (and for DingTalk <c>errcode</c> 0) is delivered; a redirect is not followed.</summary>
    private async Task<DeliveryAttempt> Judge(SubscriptionFormat format, HttpResponseMessage response, CancellationToken cancellation)
    {
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400) return new(false, status, $"redirect not followed (HTTP {status})");
        if (!response.IsSuccessStatusCode) return new(false, status, $"HTTP {status}");
        if (format != SubscriptionFormat.DingTalk) return new(true, status, null);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        reading.CancelAfter(_options.AttemptTimeout);
        var answer = DingTalkAnswer.Read(await ReadBounded(response.Content, reading.Token));
        if (answer is null) return new(false, status, "DingTalk answer unreadable (no errcode)");
        return answer.Ok ? new(true, status, null) : new(false, status, answer.Failure);
    }

    private static async Task<byte[]> ReadBounded(HttpContent content, CancellationToken cancellation)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellation);
        var buffer = new byte[MaxAnswerBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellation)) > 0) length += read;
        return buffer[..length];
    }

    private string Describe(Exception e)
    {
        var seconds = _options.AttemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is EndpointRefusedException refused) return refused.Message;
        return e switch
        {
            TimeoutRejectedException => $"timed out after {seconds} s",
            OperationCanceledException => $"timed out after {seconds} s",
            HttpRequestException { InnerException: { } inner } http => Clip($"connection failed ({http.HttpRequestError}): {inner.Message}"),
            HttpRequestException http => Clip($"connection failed ({http.HttpRequestError}): {http.Message}"),
            _ => Clip($"{e.GetType().Name}: {e.Message}"),
        };
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private DeliveryAttempt Outcome(DeliveryWork work, string endpoint, DeliveryAttempt attempt)
    {
        if (attempt.Delivered) LogDelivered(work.DeliveryId, endpoint, attempt.Status);
        else LogFailed(work.DeliveryId, endpoint, attempt.Status, attempt.Error);
        return attempt;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending delivery {DeliveryId} ({Format}) to {Endpoint}, attempt {Attempt}")]
    private partial void LogSending(string deliveryId, SubscriptionFormat format, string endpoint, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} to {Endpoint} delivered (HTTP {Status})")]
    private partial void LogDelivered(string deliveryId, string endpoint, int? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} to {Endpoint} failed (HTTP {Status}): {Error}")]
    private partial void LogFailed(string deliveryId, string endpoint, int? status, string? error);
}
