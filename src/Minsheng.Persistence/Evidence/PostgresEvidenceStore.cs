using System.Data;
using Minsheng.Grains.Evidence;
using Npgsql;
using NpgsqlTypes;

namespace Minsheng.Persistence.Evidence;

/// <summary>
/// Evidence files in PostgreSQL (<c>minsheng_evidence_blobs</c>, <c>minsheng_evidence_files</c>, migration 0013). An
/// upload is one transaction: a transaction-scoped advisory lock per (plan, unit) serialises the uploads that share a
/// limit, the limits are read and checked, each blob is inserted streamed from its spooled file (<c>ON CONFLICT DO
/// NOTHING</c>: stored once), then the links. Contents are read back streamed too (sequential access), never as one array.
/// </summary>
public sealed class PostgresEvidenceStore(NpgsqlDataSource dataSource) : IEvidenceStore
{
    private const string Columns = "plan_id, report_id, file_id, name, content_type, bytes, sha256, task_id, unit_id, uploaded_at, role, person";

    public async Task<EvidenceAddResult> Add(EvidenceUpload upload, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('minsheng_evidence:' || $1 || ':' || $2, 0))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = upload.PlanId });
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = upload.UnitId });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        int reportFiles;
        long unitBytes;
        await using (var count = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM minsheng_evidence_files WHERE plan_id = $1 AND report_id = $2),
                   (SELECT coalesce(sum(bytes), 0)::bigint FROM minsheng_evidence_files WHERE plan_id = $1 AND unit_id = $3)
            """, connection, transaction))
        {
            count.Parameters.Add(new NpgsqlParameter { Value = upload.PlanId });
            count.Parameters.Add(new NpgsqlParameter { Value = upload.ReportId });
            count.Parameters.Add(new NpgsqlParameter { Value = upload.UnitId });
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (reportFiles, unitBytes) = ((int)reader.GetInt64(0), reader.GetInt64(1));
        }
        if (reportFiles + upload.Files.Count > upload.MaxFilesPerReport)
            return new EvidenceAddResult(EvidenceAddStatus.TooManyFiles, [], reportFiles, unitBytes);
        if (unitBytes + upload.Files.Sum(f => f.Bytes) > upload.MaxUnitBytes)
            return new EvidenceAddResult(EvidenceAddStatus.UnitFull, [], reportFiles, unitBytes);

        var added = new List<EvidenceFile>();
        foreach (var file in upload.Files)
        {
            await using (var content = file.Open())
            await using (var blob = new NpgsqlCommand("""
                INSERT INTO minsheng_evidence_blobs (sha256, bytes, content, thumbnail) VALUES ($1, $2, $3, $4)
                ON CONFLICT (sha256) DO NOTHING
                """, connection, transaction))
            {
                blob.Parameters.Add(new NpgsqlParameter { Value = file.Sha256 });
                blob.Parameters.Add(new NpgsqlParameter { Value = file.Bytes });
                // A Stream value is sent as it is read: the file is never held whole in memory.
                blob.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = content, Size = checked((int)file.Bytes) });
                blob.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = (object?)file.Thumbnail ?? DBNull.Value });
                await blob.ExecuteNonQueryAsync(cancellationToken);
            }
            var row = new EvidenceFile(upload.PlanId, upload.ReportId, file.FileId, file.Name, file.ContentType, file.Bytes, file.Sha256,
                upload.TaskId, upload.UnitId, upload.At, upload.Role, upload.Person);
            await using (var link = new NpgsqlCommand($"INSERT INTO minsheng_evidence_files ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)", connection, transaction))
            {
                foreach (var value in new object[] { row.PlanId, row.ReportId, row.FileId, row.Name, row.ContentType, row.Bytes, row.Sha256, row.TaskId, row.UnitId, row.UploadedAt.ToUniversalTime(), row.Role, row.Person })
                    link.Parameters.Add(new NpgsqlParameter { Value = value });
                await link.ExecuteNonQueryAsync(cancellationToken);
            }
            added.Add(row);
        }
        await transaction.CommitAsync(cancellationToken);
        return new EvidenceAddResult(EvidenceAddStatus.Added, added, reportFiles, unitBytes);
    }

    public Task<IReadOnlyList<EvidenceFile>> List(string planId, string reportId, CancellationToken cancellationToken = default) =>
        ListFor(planId, [reportId], cancellationToken);

    public async Task<IReadOnlyList<EvidenceFile>> ListFor(string planId, IReadOnlyCollection<string> reportIds, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM minsheng_evidence_files WHERE plan_id = $1 AND report_id = ANY($2) ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = reportIds.ToArray() });
        return await Read(command, cancellationToken);
    }

    public async Task<EvidenceFile?> Find(string planId, string reportId, string fileId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM minsheng_evidence_files WHERE plan_id = $1 AND report_id = $2 AND file_id = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = reportId });
        command.Parameters.Add(new NpgsqlParameter { Value = fileId });
        return (await Read(command, cancellationToken)).FirstOrDefault();
    }

    public Task<Stream?> OpenContent(string sha256, CancellationToken cancellationToken = default) => OpenColumn("content", sha256, cancellationToken);

    public Task<Stream?> OpenThumbnail(string sha256, CancellationToken cancellationToken = default) => OpenColumn("thumbnail", sha256, cancellationToken);

    public async Task<long> UnitBytes(string planId, string unitId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(sum(bytes), 0)::bigint FROM minsheng_evidence_files WHERE plan_id = $1 AND unit_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = unitId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A bytea column streamed from the server; the stream owns the connection, command and reader until disposed.</summary>
    private async Task<Stream?> OpenColumn(string column, string sha256, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        NpgsqlCommand? command = null;
        NpgsqlDataReader? reader = null;
        try
        {
            command = new NpgsqlCommand($"SELECT {column} FROM minsheng_evidence_blobs WHERE sha256 = $1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = sha256 });
            reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
            if (await reader.ReadAsync(cancellationToken) && !await reader.IsDBNullAsync(0, cancellationToken))
                return new OwningStream(await reader.GetStreamAsync(0, cancellationToken), reader, command, connection);
        }
        catch
        {
            if (reader is not null) await reader.DisposeAsync();
            if (command is not null) await command.DisposeAsync();
            await connection.DisposeAsync();
            throw;
        }
        await reader.DisposeAsync();
        await command.DisposeAsync();
        await connection.DisposeAsync();
        return null;
    }

    private static async Task<IReadOnlyList<EvidenceFile>> Read(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<EvidenceFile>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new EvidenceFile(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt64(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetString(10), reader.GetString(11)));
        return rows;
    }

    /// <summary>A read-only stream over a column that disposes what it reads from when it is disposed.</summary>
    private sealed class OwningStream(Stream inner, params IAsyncDisposable[] owned) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            foreach (var o in owned) await o.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                foreach (var o in owned) o.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            base.Dispose(disposing);
        }
    }
}
