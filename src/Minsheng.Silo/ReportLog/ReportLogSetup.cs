using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Grains.ReportLog;
using Minsheng.Persistence.ReportLog;

namespace Minsheng.Silo.ReportLog;

public static class ReportLogSetup
{
    /// <summary>
    /// Registers the report log (the PostgreSQL table in PostgreSQL mode, on the data source
    /// <see cref="Hosting.PostgresSetup.AddPostgresDataSource"/> registers; in memory on the embedded default) and the
    /// limits every report is checked against (<c>Minsheng:Limits</c>).
    /// </summary>
    public static WebApplicationBuilder AddReportLog(this WebApplicationBuilder builder)
    {
        var options = MinshengOptions.ReadEarly(builder);
        if (options.Storage == StorageMode.Postgres) builder.Services.AddSingleton<IReportLog, PostgresReportLog>();
        else builder.Services.AddSingleton<IReportLog, InMemoryReportLog>();
        var limits = builder.Configuration.GetSection("Minsheng:Limits");
        builder.Services.AddSingleton(new ReportLimits
        {
            MaxMultipleOfTarget = limits.GetValue("MaxMultipleOfTarget", ReportLimits.Default.MaxMultipleOfTarget),
        });
        // The reviews (每周晾晒, 每月评估, 综合考评): thresholds and weights are configuration (Minsheng:Reviews).
        var lagTolerance = builder.Configuration.GetValue("Minsheng:Alerts:LagTolerance", ReviewOptions.Default.LagTolerance);
        builder.Services.AddSingleton((builder.Configuration.GetSection(ReviewOptions.Section).Get<ReviewOptions>() ?? ReviewOptions.Default)
            with { LagTolerance = lagTolerance });
        builder.Services.AddSingleton(builder.Configuration.GetSection(MonthlyEvaluationOptions.Section).Get<MonthlyEvaluationOptions>()
            ?? MonthlyEvaluationOptions.Default);
        builder.Services.AddSingleton(builder.Configuration.GetSection(FinalEvaluationOptions.Section).Get<FinalEvaluationOptions>()
            ?? FinalEvaluationOptions.Default);
        return builder;
    }
}
