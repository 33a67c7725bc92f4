using Minsheng.Grains.Events;
using Minsheng.Grains.Tests;
using Minsheng.Persistence.Events;
using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>The PostgreSQL event journal (<c>minsheng_plan_events</c>, migration 0011) keeps the journal contract.</summary>
public sealed class PostgresPlanEventJournalTests : PlanEventJournalContract, IAsyncLifetime
{
    private TestDatabase _db = null!;
    private NpgsqlDataSource _source = null!;
    private PostgresPlanEventJournal _journal = null!;

    protected override IPlanEventJournal Journal => _journal;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(_db.ConnectionString);
        _source = NpgsqlDataSource.Create(_db.ConnectionString);
        _journal = new PostgresPlanEventJournal(_source);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _db.DisposeAsync();
    }
}
