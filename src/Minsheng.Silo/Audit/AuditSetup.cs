using Minsheng.Persistence.Audit;

namespace Minsheng.Silo.Audit;

public static class AuditSetup
{
    /// <summary>
    /// Registers the audit log: in memory on the embedded default, the append-only table in PostgreSQL mode (on the data
    /// source <see cref="Hosting.PostgresSetup.AddPostgresDataSource"/> registers).
    /// </summary>
    public static WebApplicationBuilder AddAuditLog(this WebApplicationBuilder builder)
    {
        var options = MinshengOptions.ReadEarly(builder);
        if (options.Storage == StorageMode.Postgres) builder.Services.AddSingleton<IAuditLog, PostgresAuditLog>();
        else builder.Services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        return builder;
    }
}
