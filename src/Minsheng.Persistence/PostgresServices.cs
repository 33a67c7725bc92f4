using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Minsheng.Persistence;

/// <summary>PostgreSQL in a host's services, registered in one place.</summary>
public static class PostgresServices
{
    /// <summary>
    /// Registers the one <see cref="NpgsqlDataSource"/> the PostgreSQL report log, audit log and readiness check share,
    /// through <c>Npgsql.DependencyInjection</c>: its connections log through the host's loggers, and Npgsql's metrics
    /// and traces reach OpenTelemetry like those of any other data source.
    /// </summary>
    public static IServiceCollection AddMinshengPostgres(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return services.AddNpgsqlDataSource(connectionString);
    }
}
