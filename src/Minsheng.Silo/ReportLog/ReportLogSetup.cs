using Minsheng.Domain.Progress;
using Minsheng.Grains.ReportLog;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.ReportLog;

public static class ReportLogSetup
{
    /// <summary>
    /// Registers the report log (the PostgreSQL table in PostgreSQL mode, in memory on the embedded default) and the
    /// limits every report is checked against (<c>Minsheng:Limits</c>).
    /// </summary>
    public static WebApplicationBuilder AddReportLog(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MinshengOptions.Section).Get<MinshengOptions>() ?? new MinshengOptions();
        if (options.Storage == StorageMode.Postgres) builder.Services.AddSingleton<IReportLog, PostgresReportLog>();
        else builder.Services.AddSingleton<IReportLog, InMemoryReportLog>();
        var limits = builder.Configuration.GetSection("Minsheng:Limits");
        builder.Services.AddSingleton(new ReportLimits
        {
            MaxMultipleOfTarget = limits.GetValue("MaxMultipleOfTarget", ReportLimits.Default.MaxMultipleOfTarget),
        });
        return builder;
    }
}
