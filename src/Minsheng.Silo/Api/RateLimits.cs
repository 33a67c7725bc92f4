using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Minsheng.Silo.Api;

/// <summary>Per-caller request limits (<c>Minsheng:RateLimit</c>): a token bucket per validated subject, 429 with Retry-After.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Minsheng:RateLimit";

    /// <summary>Requests a token may make per second on average.</summary>
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>Requests a token may make in a burst.</summary>
    public int Burst { get; set; } = 400;

    /// <summary>Open event streams a token may hold at once.</summary>
    public int EventStreamsPerToken { get; set; } = 5;
}

public static class RateLimits
{
    /// <summary>Adds a token bucket per validated caller (per client address for anonymous requests).</summary>
    public static WebApplicationBuilder AddMinshengRateLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.Burst,
                        TokensPerPeriod = options.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            limiter.OnRejected = async (context, token) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Write(context.HttpContext, 429, Problems.TitleOf(429), "Authorization", $"请求过于频繁，请 {retry} 秒后重试");
            };
        });
        return builder;
    }

    /// <summary>
    /// Whose bucket a request draws on: the validated token's subject and role (so made-up bearer strings cannot mint
    /// buckets, and one token written two ways, e.g. with padding appended to its signature, is one caller), or the
    /// client address for anyone not authenticated.
    /// </summary>
    public static string PartitionKey(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
            return "s:" + user.FindFirst(Auth.Caller.SubjectClaim)?.Value + "|" + user.FindFirst(Auth.Caller.RoleClaim)?.Value;
        return "ip:" + context.Connection.RemoteIpAddress;
    }
}
