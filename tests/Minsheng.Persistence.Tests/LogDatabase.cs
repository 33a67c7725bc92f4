using Microsoft.Extensions.Logging.Abstractions;
using Minsheng.Domain.Plans;
using Minsheng.Persistence.ReportLog;
using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>A migrated database of its own with the PostgreSQL report log on it, for the log's read tests.</summary>
public sealed class LogDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private LogDatabase(TestDatabase db, NpgsqlDataSource dataSource)
    {
        Db = db;
        _dataSource = dataSource;
        Log = new PostgresReportLog(dataSource, new PlanCatalog([]), NullLogger<PostgresReportLog>.Instance);
    }

    public TestDatabase Db { get; }

    public PostgresReportLog Log { get; }

    public static async Task<LogDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(db.ConnectionString);
        return new LogDatabase(db, NpgsqlDataSource.Create(db.ConnectionString));
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        await _dataSource.DisposeAsync();
        await Db.DisposeAsync();
    }
}
