using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Minsheng.Silo.Health;

namespace Minsheng.Silo.Api;

/// <summary>
/// Liveness and readiness, answered from the tagged health checks (<see cref="HealthSetup"/>); with the OpenAPI
/// document and its reference, the only endpoints that need no token.
/// </summary>
public static class HealthApi
{
    /// <summary>The answer of a healthy probe: <c>{"status":"live"}</c> or <c>{"status":"ready"}</c>.</summary>
    public sealed record HealthStatus(HealthState Status);

    /// <summary>What a healthy probe says: which probe passed.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<HealthState>))]
    public enum HealthState
    {
        [JsonStringEnumMemberName("live")] Live,
        [JsonStringEnumMemberName("ready")] Ready,
    }

    /// <summary>Maps <c>GET /health/live</c> and <c>GET /health/ready</c>.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").AllowAnonymous().WithTags("Health");
        group.MapGet("/live", Live).WithName("Live").WithSummary("存活探针：进程是否在运行（不依赖数据库）。").ProducesProblems(503);
        group.MapGet("/ready", Ready).WithName("Ready")
            .WithSummary("就绪探针：计划已加载、本节点在集群中已激活且能完成粒度调用、PostgreSQL 模式下数据库可用。").ProducesProblems(503);
        return app;
    }

    private static Task<Results<Ok<HealthStatus>, ProblemHttpResult>> Live(HealthCheckService health, CancellationToken cancellationToken) =>
        Probe(health, HealthSetup.Live, HealthState.Live, cancellationToken);

    private static Task<Results<Ok<HealthStatus>, ProblemHttpResult>> Ready(HealthCheckService health, CancellationToken cancellationToken) =>
        Probe(health, HealthSetup.Ready, HealthState.Ready, cancellationToken);

    /// <summary>Runs the checks with <paramref name="tag"/>; 503 names the first that failed and says why.</summary>
    private static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> Probe(HealthCheckService health, string tag, HealthState healthy,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(tag), cancellationToken);
        if (report.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy) return TypedResults.Ok(new HealthStatus(healthy));
        var (name, entry) = report.Entries.First(e => e.Value.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy);
        return Problems.Result(503, name, entry.Description ?? "服务尚未就绪");
    }
}
