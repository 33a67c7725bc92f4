using Minsheng.Grains.ReportLog;
using Minsheng.Persistence.ReportLog;

namespace Minsheng.Silo.ReportLog;

public static class ReportLogSetup
{
    /// <summary>
    /// Registers the report log (the PostgreSQL table in PostgreSQL mode, on the data source
    /// <see cref="Hosting.PostgresSetup.AddPostgresDataSource"/> registers; in memory on the embedded default).
    /// </summary>
    public static WebApplicationBuilder AddReportLog(this WebApplicationBuilder builder)
    {
        var options = MinshengOptions.ReadEarly(builder);
        if (options.Storage == StorageMode.Postgres) builder.Services.AddSingleton<IReportLog, PostgresReportLog>();
        else builder.Services.AddSingleton<IReportLog, InMemoryReportLog>();
        return builder;
    }
}
