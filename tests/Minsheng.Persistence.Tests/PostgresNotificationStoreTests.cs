using Minsheng.Grains.Notifications;
using Minsheng.Grains.Tests;
using Minsheng.Persistence.Notifications;
using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>The PostgreSQL notification store (migration 0014) keeps the notification store contract.</summary>
public sealed class PostgresNotificationStoreTests : NotificationStoreContract, IAsyncLifetime
{
    private LogDatabase _db = null!;
    private NpgsqlDataSource _source = null!;
    private PostgresNotificationStore _store = null!;

    protected override INotificationStore Store => _store;

    public async Task InitializeAsync()
    {
        _db = await LogDatabase.CreateAsync();
        _source = NpgsqlDataSource.Create(_db.Db.ConnectionString);
        _store = new PostgresNotificationStore(_source);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _db.DisposeAsync();
    }
}
