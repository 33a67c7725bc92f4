using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minsheng.Domain.Notifications;
using Minsheng.Silo.Notifications;

namespace Minsheng.Silo.Tests.Notifications;

/// <summary>
/// The sender as the silo registers it (<see cref="NotificationSetup.AddNotificationSending"/>), delivering to a real
/// local receiver: what arrives, how it is signed, what counts as delivered, and what is refused or given up on.
/// </summary>
public sealed class HttpNotificationSenderTests : IAsyncLifetime
{
    private const string Secret = "whsec-测试-secret";
    private const string RobotSecret = "SEC0123456789abcdef";
    private const string Token = "tok-0123456789abcdef";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private NotificationReceiver _receiver = null!;
    private readonly RecordingLogs _logs = new();

    public async Task InitializeAsync() => _receiver = await NotificationReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers) await provider.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_webhook_delivery_arrives_with_every_header_signed_over_its_body()
    {
        var before = DateTimeOffset.UtcNow;
        var attempt = await Sender().Send(Work(SubscriptionFormat.Webhook, _receiver.Url("hooks/a")), CancellationToken.None);
        Assert.Equal(new DeliveryAttempt(true, 200, null), attempt);

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(("POST", "/hooks/a"), (request.Method, request.PathAndQuery));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("caseOpened", request.Header("X-Minsheng-Event"));
        Assert.Equal("sub-1-7", request.Header("X-Minsheng-Delivery"));
        Assert.Equal("sub-1-7", request.Header("Idempotency-Key"));
        Assert.Equal("Minsheng-Notifications/1", request.Header("User-Agent"));

        var signature = request.Header("X-Minsheng-Signature");
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", signature);
        Assert.True(WebhookSignature.Verify(Secret, signature, request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec-other", signature, request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(signature!.Split(',')[0][2..]));
        Assert.InRange(signedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        var body = WebhookBody.Parse(request.Body);
        Assert.Equal(("sub-1-7", "sub-1", "gongshu-2024", "caseOpened", "caseOpened:C0003", 7L),
            (body.DeliveryId, body.SubscriptionId, body.PlanId, body.Event, body.NoticeId, body.Sequence));
        Assert.Equal(Notice().Title, body.Title);
        Assert.Equal(Notice().Markdown, body.Markdown);
        Assert.Equal("C0003", body.Data.GetProperty("caseId").GetString());
        Assert.Contains("个案督办", request.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dingtalk_delivery_carries_a_valid_timestamp_and_sign_and_the_markdown()
    {
        var attempt = await Sender().Send(Work(SubscriptionFormat.DingTalk, _receiver.Url($"robot/send?access_token={Token}")), CancellationToken.None);
        Assert.Equal(new DeliveryAttempt(true, 200, null), attempt);

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(("POST", "/robot/send"), (request.Method, request.Path));
        Assert.Equal(Token, request.Query("access_token"));
        Assert.True(DingTalkRobot.Verify(RobotSecret, request.Query("timestamp"), request.Query("sign"), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)),
            $"the sign does not verify: {request.PathAndQuery}");
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));

        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("markdown", json.RootElement.GetProperty("msgtype").GetString());
        Assert.Equal(Notice().Title, json.RootElement.GetProperty("markdown").GetProperty("title").GetString());
        Assert.Equal(Notice().Markdown, json.RootElement.GetProperty("markdown").GetProperty("text").GetString());

        // Nothing logged holds the robot's token or secret.
        Assert.NotEmpty(_logs.Lines);
        Assert.All(_logs.Lines, line => Assert.DoesNotContain(Token, line, StringComparison.Ordinal));
        Assert.All(_logs.Lines, line => Assert.DoesNotContain(RobotSecret, line, StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, line => line.Contains("access_token=***", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dingtalk_errcode_other_than_zero_is_a_failed_attempt_naming_it()
    {
        _receiver.FailNext(1, ReceiverFailure.DingTalkTooFast);
        var attempt = await Sender().Send(Work(SubscriptionFormat.DingTalk, _receiver.Url($"robot/send?access_token={Token}")), CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.Equal(200, attempt.Status);
        Assert.Equal("DingTalk errcode 130101: send too fast", attempt.Error);
        Assert.Single(_receiver.Requests); // a rate limit is the dispatcher's to wait out, not a quick retry's
    }

    [Fact]
    public async Task A_server_error_is_retried_at_once_within_the_attempt_with_the_same_delivery_id()
    {
        _receiver.FailNext(1, ReceiverFailure.ServerError);
        var attempt = await Sender().Send(Work(SubscriptionFormat.Webhook, _receiver.Url()), CancellationToken.None);

        Assert.Equal(new DeliveryAttempt(true, 200, null), attempt);
        var requests = _receiver.Requests;
        Assert.Equal([500, 200], requests.Select(r => r.Answer!.Value));
        Assert.Equal(["sub-1-7", "sub-1-7"], requests.Select(r => r.IdempotencyKey!));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal("sub-1-7", Assert.Single(await _receiver.WaitForEffective(1, Generous)).IdempotencyKey);

        // The same delivery again (its answer lost on the way back, say) arrives but does not count twice.
        Assert.True((await Sender().Send(Work(SubscriptionFormat.Webhook, _receiver.Url()), CancellationToken.None)).Delivered);
        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Equal(1, _receiver.EffectiveCount);
    }

    [Fact]
    public async Task Server_errors_past_the_quick_retries_are_a_failed_attempt()
    {
        _receiver.FailAll(ReceiverFailure.ServerError);
        var attempt = await Sender().Send(Work(SubscriptionFormat.Webhook, _receiver.Url()), CancellationToken.None);

        Assert.Equal(new DeliveryAttempt(false, 500, "HTTP 500"), attempt);
        Assert.Equal(1 + NotificationSetup.QuickRetries, _receiver.Requests.Count);
        Assert.Equal(0, _receiver.EffectiveCount);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_not_delivered()
    {
        _receiver.FailNext(1, ReceiverFailure.Redirect);
        var attempt = await Sender().Send(Work(SubscriptionFormat.Webhook, _receiver.Url()), CancellationToken.None);

        Assert.Equal(new DeliveryAttempt(false, 302, "redirect not followed (HTTP 302)"), attempt);
        Assert.Equal("/hook", Assert.Single(_receiver.Requests).Path);
    }

    [Fact]
    public async Task An_allowed_host_name_resolving_to_loopback_is_refused_at_connect()
    {
        var attempt = await Sender(allowedHosts: ["localhost"]).Send(
            Work(SubscriptionFormat.Webhook, new Uri($"http://localhost:{_receiver.Port}/hook")), CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.Null(attempt.Status);
        Assert.Contains("refused to connect to localhost", attempt.Error, StringComparison.Ordinal);
        Assert.Contains("is internal", attempt.Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task The_same_host_name_is_reached_when_private_networks_are_allowed()
    {
        var attempt = await Sender(allowedHosts: ["localhost"], allowPrivateNetworks: true).Send(
            Work(SubscriptionFormat.Webhook, new Uri($"http://localhost:{_receiver.Port}/hook")), CancellationToken.None);

        Assert.Equal(new DeliveryAttempt(true, 200, null), attempt);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task A_loopback_ip_literal_the_operator_listed_is_reached_without_allowing_private_networks()
    {
        var attempt = await Sender(allowedHosts: ["127.0.0.1"], allowPrivateNetworks: false).Send(
            Work(SubscriptionFormat.Webhook, _receiver.Url()), CancellationToken.None);

        Assert.True(attempt.Delivered);
    }

    [Fact]
    public async Task A_host_no_longer_on_the_list_is_not_sent_to()
    {
        var attempt = await Sender(allowedHosts: ["oapi.dingtalk.com"]).Send(Work(SubscriptionFormat.Webhook, _receiver.Url()), CancellationToken.None);

        Assert.Equal(new DeliveryAttempt(false, null, "endpoint not allowed: host 127.0.0.1 is not in AllowedHosts"), attempt);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task A_hanging_receiver_is_a_timed_out_attempt_after_about_the_attempt_timeout()
    {
        _receiver.FailAll(ReceiverFailure.Hang);
        var watch = Stopwatch.StartNew();
        var attempt = await Sender(attemptTimeout: TimeSpan.FromSeconds(1)).Send(Work(SubscriptionFormat.Webhook, _receiver.Url()), CancellationToken.None);

        Assert.Equal(new DeliveryAttempt(false, null, "timed out after 1 s"), attempt);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), Generous);
        Assert.Single(_receiver.Requests); // a hung endpoint is not tried again at once
    }

    [Fact]
    public async Task A_closed_port_is_a_failed_connection()
    {
        var closed = Ports.Free();
        var attempt = await Sender().Send(Work(SubscriptionFormat.DingTalk, new Uri($"http://127.0.0.1:{closed}/robot/send?access_token={Token}")), CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.Null(attempt.Status);
        Assert.StartsWith("connection failed", attempt.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_silo_stopping_cancels_the_attempt_instead_of_failing_it()
    {
        _receiver.FailAll(ReceiverFailure.Hang);
        using var stopping = new CancellationTokenSource();
        var sending = Sender(attemptTimeout: TimeSpan.FromSeconds(30)).Send(Work(SubscriptionFormat.Webhook, _receiver.Url()), stopping.Token);
        await _receiver.WaitForRequests(1, Generous);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    private INotificationSender Sender(string[]? allowedHosts = null, bool allowPrivateNetworks = false, TimeSpan? attemptTimeout = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Minsheng:Notifications:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
            ["Minsheng:Notifications:AttemptTimeout"] = (attemptTimeout ?? TimeSpan.FromSeconds(10)).ToString(),
        };
        foreach (var (host, i) in (allowedHosts ?? ["127.0.0.1"]).Select((h, i) => (h, i)))
            settings[$"Minsheng:Notifications:AllowedHosts:{i}"] = host;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        services.AddNotificationSending(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _providers.Add(provider);
        return provider.GetRequiredService<INotificationSender>();
    }

    private readonly List<ServiceProvider> _providers = [];

    private static Notice Notice() => new(
        "gongshu-2024", "caseOpened:C0003", NoticeKind.CaseOpened, new DateTimeOffset(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8)), ["wulin"],
        "个案督办：武林街道加装电梯进度滞后",
        "### 个案督办\n> 武林街道 **加装电梯** 连续 4 周滞后，请于 5 个工作日内反馈",
        JsonDocument.Parse("""{"caseId":"C0003","unitId":"wulin"}""").RootElement.Clone());

    private static DeliveryWork Work(SubscriptionFormat format, Uri endpoint) =>
        new(new Subscription("sub-1", "gongshu-2024", "区督查室", format, endpoint, format == SubscriptionFormat.DingTalk ? RobotSecret : Secret,
            [NoticeKind.CaseOpened], [], DateTimeOffset.UtcNow, "office"), Notice(), 7, 0, null);

    /// <summary>Every log line the sender's services write, formatted.</summary>
    private sealed class RecordingLogs : ILoggerProvider
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(RecordingLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (logs._lines) logs._lines.Add($"{category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
