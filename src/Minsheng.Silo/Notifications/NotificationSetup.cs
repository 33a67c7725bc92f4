using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Minsheng.Silo.Notifications;

/// <summary>The sending side of notifications: its settings, its HTTP client and the sender.</summary>
public static class NotificationSetup
{
    /// <summary>Quick retries of a transient failure within one attempt (the durable retries between attempts are the dispatcher's).</summary>
    public const int QuickRetries = 2;

    /// <summary>
    /// Registers <see cref="NotificationOptions"/> (checked at start), the notification <see cref="HttpClient"/> and
    /// <see cref="INotificationSender"/>. The client's connections go through <see cref="GuardedConnector"/>, never
    /// through a proxy (which would resolve the host where the policy cannot check it), and follow no redirect.
    /// </summary>
    public static IServiceCollection AddNotificationSending(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NotificationOptions, NotificationOptionsRules>(configuration, NotificationOptions.Section);
        services.AddHttpClient(HttpNotificationSender.ClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline's timeouts bound every attempt
                client.DefaultRequestHeaders.UserAgent.ParseAdd(HttpNotificationSender.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var options = provider.GetRequiredService<IOptions<NotificationOptions>>().Value;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    ConnectTimeout = options.AttemptTimeout,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = new GuardedConnector(options.ToPolicy()).Connect,
                };
            })
            .AddResilienceHandler("notifications", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value;
                // Outermost: the whole attempt, retries included; then the quick retries; innermost: each try.
                pipeline.AddTimeout(TotalTimeout(options));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = QuickRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(300),
                    MaxDelay = TimeSpan.FromSeconds(3),
                    ShouldRetryAfterHeader = false, // a Retry-After of an hour is the dispatcher's to honour, not a held slot's
                    ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            });
        services.TryAddSingleton<INotificationSender, HttpNotificationSender>();
        return services;
    }

    /// <summary>
    /// Notifications whole: the sending side, the dispatcher that delivers on every silo, and (mapped by
    /// <see cref="SubscriptionsApi.MapSubscriptionsApi"/>) the office's subscriptions.
    /// </summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddNotificationSending(builder.Configuration);
        builder.Services.AddSingleton<NotificationDispatcher>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<NotificationDispatcher>());
        return builder;
    }

    /// <summary>The bound of one attempt with its quick retries and their pauses.</summary>
    public static TimeSpan TotalTimeout(NotificationOptions options) =>
        options.AttemptTimeout * (QuickRetries + 1) + TimeSpan.FromSeconds(3 * QuickRetries);

    /// <summary>
    /// Worth a quick retry: 5xx, 408 and 429 answers and failed connections. Not a timed-out try (a hung endpoint would
    /// hold the slot several times over), nor a connection the policy refused, nor anything else.
    /// </summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => (int)response.StatusCode is >= 500 or 408 or 429,
        { Exception: HttpRequestException e } => !Refused(e),
        _ => false,
    };

    private static bool Refused(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is EndpointRefusedException) return true;
        return false;
    }
}
