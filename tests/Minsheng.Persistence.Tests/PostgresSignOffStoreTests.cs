using Minsheng.Domain.Plans;
using Minsheng.Grains.ReportLog;
using Minsheng.Grains.SignOff;
using Minsheng.Grains.Tests;
using Minsheng.Persistence.SignOff;
using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>The PostgreSQL sign-off store (<c>minsheng_sign_off</c>, migration 0012) keeps the sign-off store contract.</summary>
public sealed class PostgresSignOffStoreTests : SignOffStoreContract, IAsyncLifetime
{
    private LogDatabase _db = null!;
    private NpgsqlDataSource _source = null!;
    private PostgresSignOffStore _store = null!;

    protected override ISignOffStore Store => _store;

    protected override IReportLog Log => _db.Log;

    public async Task InitializeAsync()
    {
        _db = await LogDatabase.CreateAsync();
        _source = NpgsqlDataSource.Create(_db.Db.ConnectionString);
        _store = new PostgresSignOffStore(_source, new PlanCatalog([]));
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _db.DisposeAsync();
    }
}
