using Minsheng.Persistence;

namespace Minsheng.Silo.Hosting;

/// <summary>The host's one PostgreSQL data source (<c>Minsheng:Storage=Postgres</c>).</summary>
public static class PostgresSetup
{
    /// <summary>
    /// In PostgreSQL mode, registers the data source the report log, the audit log and the readiness check share; on the
    /// embedded default there is none, which is how the readiness check knows there is no database to wait for.
    /// </summary>
    public static WebApplicationBuilder AddPostgresDataSource(this WebApplicationBuilder builder)
    {
        var options = MinshengOptions.ReadEarly(builder);
        if (options.Storage == StorageMode.Postgres)
            builder.Services.AddMinshengPostgres(PostgresConnection.Require(builder.Configuration));
        return builder;
    }
}
