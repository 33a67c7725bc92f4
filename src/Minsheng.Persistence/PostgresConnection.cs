using Microsoft.Extensions.Configuration;

namespace Minsheng.Persistence;

/// <summary>
/// The PostgreSQL connection string (<c>ConnectionStrings:Minsheng</c>): one name for the silo, its data source and the
/// <c>migrate</c> command, so they can never read two different databases.
/// </summary>
public static class PostgresConnection
{
    public const string Name = "Minsheng";

    /// <summary>The configured connection string, or null when none is set.</summary>
    public static string? Find(IConfiguration configuration) =>
        configuration.GetConnectionString(Name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The configured connection string; PostgreSQL mode cannot start without one.</summary>
    public static string Require(IConfiguration configuration) =>
        Find(configuration) ?? throw new InvalidOperationException("Minsheng:Storage=Postgres needs ConnectionStrings:Minsheng.");
}
