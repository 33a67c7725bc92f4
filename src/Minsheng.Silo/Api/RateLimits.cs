using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.Api;

/// <summary>
/// Request limits (<c>Minsheng:RateLimit</c>), each the cluster's number: a token bucket per validated caller; a smaller
/// one per client address for anonymous requests (the page's files, the API document, refused tokens), and one bucket
/// all anonymous requests share, so many addresses together cannot spend the service either. 429 with Retry-After past
/// any of them. Each of N active silos enforces its share (<see cref="RateLimits"/>); open event streams are counted
/// exactly across the cluster (<see cref="Live.StreamSlots"/>).
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

    /// <summary>Open event streams a token may hold at once, on all silos together.</summary>
    public int EventStreamsPerToken { get; set; } = 5;
}

/// <summary>The rules of <see cref="RateLimitOptions"/>: every bucket and stream count holds at least one.</summary>
public sealed class RateLimitOptionsRules : IValidateOptions<RateLimitOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options) => ValidatedOptions.Result(
        new (string Name, int Value)[]
        {
            (nameof(options.PermitsPerSecond), options.PermitsPerSecond), (nameof(options.Burst), options.Burst),
            (nameof(options.AnonymousPermitsPerSecond), options.AnonymousPermitsPerSecond), (nameof(options.AnonymousBurst), options.AnonymousBurst),
            (nameof(options.AnonymousTotalPerSecond), options.AnonymousTotalPerSecond), (nameof(options.AnonymousTotalBurst), options.AnonymousTotalBurst),
            (nameof(options.EventStreamsPerToken), options.EventStreamsPerToken),
        }.Where(x => x.Value < 1).Select(x => $"{RateLimitOptions.Section}:{x.Name} must be at least 1, not {x.Value}"));
}

public static class RateLimits
{
    /// <summary>
    /// Adds the limiter: a bucket per validated caller, or per client address and all anonymous together. With N active
    /// silos (<see cref="ClusterShare"/>) each bucket here holds ⌈burst ÷ N⌉ and refills at exactly rate ÷ N (the rate's
    /// tokens every N seconds, added continuously), so behind a proxy that spreads a caller's requests evenly the cluster
    /// grants the documented burst (plus at most N − 1 from rounding up) and rate. N is part of the partition key: when
    /// the membership changes, new buckets of the new share replace the old ones (which expire idle).
    /// </summary>
    public static WebApplicationBuilder AddMinshengRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RateLimitOptions, RateLimitOptionsRules>(RateLimitOptions.Section);
        // The event-stream endpoint takes the validated value as a service.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        builder.Services.AddSingleton<ClusterShare>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, IOptions<MetricsOptions>, ClusterShare>((limiter, configured, metrics, cluster) =>
        {
            var options = configured.Value;
            var metricsPort = metrics.Value.Port;
            var perCaller = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (Exempt(context, metricsPort)) return RateLimitPartition.GetNoLimiter("exempt");
                var silos = cluster.ActiveSilos;
                var key = PartitionKey(context) + "#" + silos.ToString(CultureInfo.InvariantCulture);
                return IsAnonymous(context)
                    ? RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(options.AnonymousPermitsPerSecond, options.AnonymousBurst, silos))
                    : RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(options.PermitsPerSecond, options.Burst, silos));
            });
            var anonymousTotal = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (Exempt(context, metricsPort) || !IsAnonymous(context)) return RateLimitPartition.GetNoLimiter("not-anonymous");
                var silos = cluster.ActiveSilos;
                return RateLimitPartition.GetTokenBucketLimiter("anonymous#" + silos.ToString(CultureInfo.InvariantCulture),
                    _ => Bucket(options.AnonymousTotalPerSecond, options.AnonymousTotalBurst, silos));
            });
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

    /// <summary>
    /// One silo's bucket of a cluster-wide limit of <paramref name="perSecond"/> and <paramref name="burst"/> shared by
    /// <paramref name="silos"/>: ⌈burst ÷ silos⌉ tokens, refilled at perSecond ÷ silos (perSecond tokens per silos
    /// seconds; the partitioned limiter adds them continuously, so a rate of 1 on 3 silos is 1/3 a second each, not 1).
    /// </summary>
    internal static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst, int silos) => new()
    {
        TokenLimit = ClusterShare.Share(burst, silos),
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, silos)),
        QueueLimit = 0,
        // The partitioned limiter replenishes its buckets itself (every 100 ms, by the time elapsed).
        AutoReplenishment = false,
    };

    /// <summary>Health probes and Prometheus' scrape on the metrics port are the orchestrator's, never limited.</summary>
    private static bool Exempt(HttpContext context, int metricsPort) =>
        IsExemptPath(context.Request.Path) || (metricsPort > 0 && context.Connection.LocalPort == metricsPort);

    /// <summary>
    /// The API port's paths no bucket limits (the health probes); every other operation, the anonymous ones included,
    /// can be answered 429 and the OpenAPI document says so.
    /// </summary>
    internal static bool IsExemptPath(PathString path) => path.StartsWithSegments("/health");

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
