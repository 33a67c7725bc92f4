using Npgsql;

namespace Minsheng.Persistence;

/// <summary>
/// Applies the embedded SQL migrations (<c>Migrations/NNNN_name.sql</c>) to a PostgreSQL database, in order, each in
/// its own transaction, recording applied versions in <c>minsheng_schema_migrations</c>. A session-level advisory
/// lock serializes concurrent migrators (two silos starting together): the second waits, then finds nothing to do.
/// </summary>
public sealed class SchemaMigrator
{
    /// <summary>The table that records applied versions.</summary>
    public const string HistoryTable = "minsheng_schema_migrations";

    /// <summary>The advisory lock key (an arbitrary constant: "minsheng" in ASCII, truncated to 63 bits).</summary>
    public const long AdvisoryLockKey = 0x6D696E7368656E67 & long.MaxValue;

    private const string ResourcePrefix = "Minsheng.Persistence.Migrations.";

    private readonly IReadOnlyList<Migration> _migrations;

    /// <summary>A migrator over the migrations embedded in this assembly.</summary>
    public SchemaMigrator() : this(LoadEmbedded()) { }

    internal SchemaMigrator(IReadOnlyList<Migration> migrations)
    {
        var duplicate = migrations.GroupBy(m => m.Version, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Duplicate migration version '{duplicate.Key}'.", nameof(migrations));
        _migrations = migrations.OrderBy(m => m.Version, StringComparer.Ordinal).ToList();
    }

    /// <summary>All known migrations, in the order they are applied.</summary>
    public IReadOnlyList<Migration> Migrations => _migrations;

    /// <summary>
    /// Applies every migration not yet recorded in the database and returns the versions it applied, in order
    /// (empty when the database is up to date).
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // Session-level lock: held across the per-migration transactions, released explicitly (or when the
        // connection closes, should this process die).
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null,
                $"CREATE TABLE IF NOT EXISTS {HistoryTable} (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand($"SELECT version FROM {HistoryTable}", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetString(0));
            }

            var done = new List<string>();
            foreach (var migration in _migrations)
            {
                if (applied.Contains(migration.Version)) continue;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                    await using (var record = new NpgsqlCommand(
                        $"INSERT INTO {HistoryTable} (version, applied_at) VALUES (@version, now())", connection, transaction))
                    {
                        record.Parameters.AddWithValue("version", migration.Version);
                        await record.ExecuteNonQueryAsync(cancellationToken);
                    }
                    await transaction.CommitAsync(cancellationToken);
                }
                catch (PostgresException e)
                {
                    throw new InvalidOperationException($"Migration {migration.Version} failed: {e.MessageText} (SQLSTATE {e.SqlState}).", e);
                }
                done.Add(migration.Version);
            }
            return done;
        }
        finally
        {
            // Best effort: closing the connection releases a session lock anyway.
            try
            {
                if (connection.State == System.Data.ConnectionState.Open)
                    await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
            catch (NpgsqlException)
            {
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var list = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var version = name[ResourcePrefix.Length..^".sql".Length];
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Embedded migration {name} cannot be read.");
            using var reader = new StreamReader(stream);
            list.Add(new Migration(version, reader.ReadToEnd()));
        }
        return list;
    }
}

/// <summary>One migration: its version (the file name without <c>.sql</c>, e.g. <c>0001_orleans_clustering</c>) and its SQL.</summary>
public sealed record Migration(string Version, string Sql);
