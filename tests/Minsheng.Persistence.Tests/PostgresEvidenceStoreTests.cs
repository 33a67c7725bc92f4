using Minsheng.Grains.Evidence;
using Minsheng.Grains.Tests;
using Minsheng.Persistence.Evidence;
using Npgsql;

namespace Minsheng.Persistence.Tests;

/// <summary>The PostgreSQL evidence store (migration 0013) keeps the evidence-store contract.</summary>
public sealed class PostgresEvidenceStoreTests : EvidenceStoreContract, IAsyncLifetime
{
    private TestDatabase _db = null!;
    private NpgsqlDataSource _source = null!;
    private PostgresEvidenceStore _store = null!;

    protected override IEvidenceStore Store => _store;

    protected override async Task<int> BlobCount()
    {
        await using var command = _source.CreateCommand("SELECT count(*) FROM minsheng_evidence_blobs");
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(_db.ConnectionString);
        _source = NpgsqlDataSource.Create(_db.ConnectionString);
        _store = new PostgresEvidenceStore(_source);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _db.DisposeAsync();
    }
}
