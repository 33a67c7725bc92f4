using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Minsheng.Silo.Health;

/// <summary>
/// In PostgreSQL mode, ready when the existing data source answers <c>SELECT 1</c>; in memory mode there is no
/// database to wait for. A readiness check only: liveness never depends on the database.
/// </summary>
public sealed class PostgresHealthCheck(IServiceProvider services) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<NpgsqlDataSource>() is not { } database) return HealthCheckResult.Healthy("内存存储模式，无数据库");
        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL 可用");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL 不可用", e);
        }
    }
}
