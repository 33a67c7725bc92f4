using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.Api;

/// <summary>
/// Request limits (<c>Minsheng:RateLimit</c>): a token bucket per validated caller; a smaller one per client address
/// for anonymous requests (the page's files, the API document, refused tokens), and one bucket all anonymous
/// requests share, so many addresses together cannot spend the silo either. 429 with Retry-After past any of them.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Minsheng:RateLimit";

    /// <summary>Requests a token may make per second on average.</summary>
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>Requests a token may make in a burst.</summary>
    public int Burst { get; set; } = 400;

    /// <summary>Requests without a valid token one client address may make per second on average.</summary>
    public int AnonymousPermitsPerSecond { get; set; } = 50;

    /// <summary>Requests without a valid token one client address may make in a burst (a page load is about 20).</summary>
    public int AnonymousBurst { get; set; } = 200;

    /// <summary>Requests without a valid token all client addresses together may make per second on average.</summary>
    public int AnonymousTotalPerSecond { get; set; } = 500;

    /// <summary>Requests without a valid token all client addresses together may make in a burst.</summary>
    public int AnonymousTotalBurst { get; set; } = 1000;

    /// <summary>Open event streams a token may hold at once.</summary>
    public int EventStreamsPerToken { get; set; } = 5;

    internal IEnumerable<string> Errors()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(PermitsPerSecond), PermitsPerSecond), (nameof(Burst), Burst), (nameof(AnonymousPermitsPerSecond), AnonymousPermitsPerSecond),
                     (nameof(AnonymousBurst), AnonymousBurst), (nameof(AnonymousTotalPerSecond), AnonymousTotalPerSecond),
                     (nameof(AnonymousTotalBurst), AnonymousTotalBurst), (nameof(EventStreamsPerToken), EventStreamsPerToken),
                 })
            if (value < 1) yield return $"{Section}:{name} must be at least 1, not {value}";
    }
}

public static class RateLimits
{
    /// <summary>Adds the limiter: a bucket per validated caller, or per client address and all anonymous together.</summary>
    public static WebApplicationBuilder AddMinshengRateLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        if (options.Errors().FirstOrDefault() is { } error) throw new InvalidOperationException(error);
        builder.Services.AddSingleton(options);
        var metricsPort = MetricsEndpoint.PortOf(builder.Configuration);
        builder.Services.AddRateLimiter(limiter =>
        {
            var perCaller = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                Exempt(context, metricsPort)
                    ? RateLimitPartition.GetNoLimiter("exempt")
                    : IsAnonymous(context)
                        ? RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => Bucket(options.AnonymousPermitsPerSecond, options.AnonymousBurst))
                        : RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => Bucket(options.PermitsPerSecond, options.Burst)));
            var anonymousTotal = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                Exempt(context, metricsPort) || !IsAnonymous(context)
                    ? RateLimitPartition.GetNoLimiter("not-anonymous")
                    : RateLimitPartition.GetTokenBucketLimiter("anonymous", _ => Bucket(options.AnonymousTotalPerSecond, options.AnonymousTotalBurst)));
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(perCaller, anonymousTotal);
            limiter.OnRejected = async (context, token) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                await Problems.Write(context.HttpContext, 429, Problems.TitleOf(429), "Authorization", $"请求过于频繁，请 {retry} 秒后重试");
            };
        });
        return builder;
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>Health probes and Prometheus' scrape on the metrics port are the orchestrator's, never limited.</summary>
    private static bool Exempt(HttpContext context, int metricsPort) =>
        context.Request.Path.StartsWithSegments("/health") || (metricsPort > 0 && context.Connection.LocalPort == metricsPort);

    private static bool IsAnonymous(HttpContext context) => context.User.Identity?.IsAuthenticated != true;

    /// <summary>
    /// Whose bucket a request draws on: the validated token's subject and role (so made-up bearer strings cannot mint
    /// buckets, and one token written two ways, e.g. with padding appended to its signature, is one caller), or the
    /// client address for anyone not authenticated.
    /// </summary>
    public static string PartitionKey(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
            return "s:" + user.FindFirst(Caller.SubjectClaim)?.Value + "|" + user.FindFirst(Caller.RoleClaim)?.Value;
        return "ip:" + context.Connection.RemoteIpAddress;
    }
}
