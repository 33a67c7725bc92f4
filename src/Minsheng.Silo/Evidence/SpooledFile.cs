using System.Security.Cryptography;

namespace Minsheng.Silo.Evidence;

/// <summary>
/// A file of an upload held on disk while it is checked: a temporary file opened with <see cref="FileOptions.DeleteOnClose"/>
/// and kept open until the request ends, so it is gone when disposed whatever happened (refusal, exception, client abort).
/// </summary>
public sealed class SpooledFile : IAsyncDisposable
{
    private SpooledFile(FileStream content) => Content = content;

    /// <summary>The bytes, readable and seekable.</summary>
    public FileStream Content { get; }

    /// <summary>How many bytes were written.</summary>
    public long Bytes { get; private set; }

    /// <summary>Lowercase hex SHA-256 of the bytes, computed as they were written.</summary>
    public string Sha256 { get; private set; } = "";

    /// <summary>A new empty spool file in <paramref name="folder"/>.</summary>
    public static SpooledFile Create(string folder) =>
        new(new FileStream(Path.Combine(folder, $"minsheng-evidence-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous));

    /// <summary>
    /// Copies <paramref name="source"/> in, hashing and counting; false (and stops reading) the moment it would pass
    /// <paramref name="maxBytes"/>.
    /// </summary>
    public async Task<bool> Fill(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (Bytes + read > maxBytes) return false;
            hash.AppendData(buffer, 0, read);
            await Content.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            Bytes += read;
        }
        await Content.FlushAsync(cancellationToken);
        Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        Content.Position = 0;
        return true;
    }

    /// <summary>Fills the file by <paramref name="write"/> (a transformation of another spool file), then hashes and counts what it wrote.</summary>
    public async Task Write(Action<Stream> write, CancellationToken cancellationToken)
    {
        write(Content);
        await Content.FlushAsync(cancellationToken);
        Bytes = Content.Length;
        Content.Position = 0;
        Sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(Content, cancellationToken));
        Content.Position = 0;
    }

    /// <summary>A read-only view of the bytes from their start that leaves the file open (the store reads it; the request deletes it).</summary>
    public Stream OpenRead()
    {
        Content.Position = 0;
        return new NonClosing(Content);
    }

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
