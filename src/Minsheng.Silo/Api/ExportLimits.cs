using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.Api;

/// <summary>
/// How many exports may be built at once (<c>Minsheng:Exports</c>): an xlsx costs tens of milliseconds of CPU, so one
/// caller, or all callers together, asking for many at once would starve the rest of the API. Past either limit the
/// answer is 429 with Retry-After; nothing waits in a queue.
/// </summary>
public sealed class ExportLimitOptions
{
    public const string Section = "Minsheng:Exports";

    /// <summary>Exports one caller (token, or client address) may have in progress at once.</summary>
    public int PerCaller { get; set; } = 2;

    /// <summary>Exports all callers together may have in progress at once on one silo.</summary>
    /// <remarks>
    /// Half the silo's cores by default (at least one): building an xlsx is pure CPU, and the benchmark measured a
    /// reader's p99 at 20× its idle value with 4 exports on 2 cores, 7× with 1 (BENCHMARKS.md).
    /// </remarks>
    public int Total { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);
}

/// <summary>The rules of <see cref="ExportLimitOptions"/>: a limit of zero would refuse every export.</summary>
public sealed class ExportLimitOptionsRules : IValidateOptions<ExportLimitOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ExportLimitOptions options) => ValidatedOptions.Result(Errors(options));

    private static IEnumerable<string> Errors(ExportLimitOptions options)
    {
        if (options.PerCaller < 1) yield return $"{ExportLimitOptions.Section}:PerCaller must be at least 1, not {options.PerCaller}";
        if (options.Total < 1) yield return $"{ExportLimitOptions.Section}:Total must be at least 1, not {options.Total}";
    }
}

/// <summary>The concurrency gate every export passes: one permit per caller and one of the silo's, or a 429.</summary>
public sealed class ExportGate : IDisposable
{
    private readonly ExportLimitOptions _options;
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public ExportGate(ExportLimitOptions options)
    {
        _options = options;
        var perCaller = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetConcurrencyLimiter(RateLimits.PartitionKey(context), _ => Concurrency(options.PerCaller)));
        var total = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter("total", _ => Concurrency(options.Total)));
        _limiter = PartitionedRateLimiter.CreateChained(perCaller, total);
    }

    /// <summary>An endpoint filter: runs the export while it holds its permits, else answers 429 with Retry-After.</summary>
    public async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        using var lease = _limiter.AttemptAcquire(invocation.HttpContext);
        if (lease.IsAcquired) return await next(invocation);
        invocation.HttpContext.Response.Headers.RetryAfter = "1";
        return Problems.Result(429, "exports", string.Format(CultureInfo.InvariantCulture,
            "导出正忙：每个调用方同时最多 {0} 个导出，全部调用方同时最多 {1} 个，请 1 秒后重试", _options.PerCaller, _options.Total));
    }

    /// <summary>Takes a caller's permits as an export in progress would, until disposed (tests hold the gate with it).</summary>
    internal RateLimitLease Hold(HttpContext context)
    {
        var lease = _limiter.AttemptAcquire(context);
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        throw new InvalidOperationException("the export gate has no permit left for this caller");
    }

    private static ConcurrencyLimiterOptions Concurrency(int permits) => new() { PermitLimit = permits, QueueLimit = 0 };

    public void Dispose() => _limiter.Dispose();
}
