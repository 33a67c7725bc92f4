using Minsheng.Grains.ReportLog;
using Minsheng.Persistence.ReportLog;

namespace Minsheng.Silo.ReportLog;

public static class ReportLogSetup
{
    /// <summary>
    /// Registers the report log, the review store, the event journal and the sign-off store (the PostgreSQL tables in PostgreSQL mode, on the data source
    /// <see cref="Hosting.PostgresSetup.AddPostgresDataSource"/> registers; in memory on the embedded default).
    /// </summary>
    public static WebApplicationBuilder AddReportLog(this WebApplicationBuilder builder)
    {
        var options = MinshengOptions.ReadEarly(builder);
        if (options.Storage == StorageMode.Postgres)
        {
            builder.Services.AddSingleton<IReportLog, PostgresReportLog>();
            builder.Services.AddSingleton<Minsheng.Grains.Reviews.IReviewStore, Minsheng.Persistence.Reviews.PostgresReviewStore>();
            builder.Services.AddSingleton<Minsheng.Grains.Events.IPlanEventJournal, Minsheng.Persistence.Events.PostgresPlanEventJournal>();
            builder.Services.AddSingleton<Minsheng.Grains.SignOff.ISignOffStore, Minsheng.Persistence.SignOff.PostgresSignOffStore>();
            builder.Services.AddSingleton<Minsheng.Grains.Notifications.INotificationStore, Minsheng.Persistence.Notifications.PostgresNotificationStore>();
        }
        else builder.Services.AddSingleton<IReportLog, InMemoryReportLog>();
        return builder;
    }
}
