namespace Minsheng.Grains.Evidence;

/// <summary>
/// The evidence store of the embedded default: blobs and links in memory, under one lock (an upload's links are added
/// together after its limits are checked, so the limits hold against concurrent uploads as in PostgreSQL).
/// </summary>
public sealed class InMemoryEvidenceStore : IEvidenceStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (byte[] Content, byte[]? Thumbnail)> _blobs = new(StringComparer.Ordinal);
    private readonly List<EvidenceFile> _files = [];

    /// <summary>How many blobs are stored (tests check that a file sent twice is stored once).</summary>
    public int BlobCount { get { lock (_lock) return _blobs.Count; } }

    public Task<EvidenceAddResult> Add(EvidenceUpload upload, CancellationToken cancellationToken = default)
    {
        // Read the contents first, outside the lock; an exception here has written nothing.
        var contents = upload.Files.Select(f =>
        {
            using var stream = f.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var reportFiles = _files.Count(f => f.PlanId == upload.PlanId && f.ReportId == upload.ReportId);
            var unitBytes = UnitBytesLocked(upload.PlanId, upload.UnitId);
            if (reportFiles + upload.Files.Count > upload.MaxFilesPerReport)
                return Task.FromResult(new EvidenceAddResult(EvidenceAddStatus.TooManyFiles, [], reportFiles, unitBytes));
            if (unitBytes + upload.Files.Sum(f => f.Bytes) > upload.MaxUnitBytes)
                return Task.FromResult(new EvidenceAddResult(EvidenceAddStatus.UnitFull, [], reportFiles, unitBytes));
            var added = new List<EvidenceFile>();
            for (var i = 0; i < upload.Files.Count; i++)
            {
                var f = upload.Files[i];
                _blobs.TryAdd(f.Sha256, (contents[i], f.Thumbnail));
                added.Add(new EvidenceFile(upload.PlanId, upload.ReportId, f.FileId, f.Name, f.ContentType, f.Bytes, f.Sha256,
                    upload.TaskId, upload.UnitId, upload.At, upload.Role, upload.Person));
            }
            _files.AddRange(added);
            return Task.FromResult(new EvidenceAddResult(EvidenceAddStatus.Added, added, reportFiles, unitBytes));
        }
    }

    public Task<IReadOnlyList<EvidenceFile>> List(string planId, string reportId, CancellationToken cancellationToken = default) =>
        ListFor(planId, [reportId], cancellationToken);

    public Task<IReadOnlyList<EvidenceFile>> ListFor(string planId, IReadOnlyCollection<string> reportIds, CancellationToken cancellationToken = default)
    {
        var wanted = reportIds.ToHashSet(StringComparer.Ordinal);
        lock (_lock) return Task.FromResult<IReadOnlyList<EvidenceFile>>(_files.Where(f => f.PlanId == planId && wanted.Contains(f.ReportId)).ToList());
    }

    public Task<EvidenceFile?> Find(string planId, string reportId, string fileId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_files.FirstOrDefault(f => f.PlanId == planId && f.ReportId == reportId && f.FileId == fileId));
    }

    public Task<Stream?> OpenContent(string sha256, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<Stream?>(_blobs.TryGetValue(sha256, out var blob) ? new MemoryStream(blob.Content, writable: false) : null);
    }

    public Task<Stream?> OpenThumbnail(string sha256, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<Stream?>(_blobs.TryGetValue(sha256, out var blob) && blob.Thumbnail is { } t ? new MemoryStream(t, writable: false) : null);
    }

    public Task<long> UnitBytes(string planId, string unitId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(UnitBytesLocked(planId, unitId));
    }

    private long UnitBytesLocked(string planId, string unitId) => _files.Where(f => f.PlanId == planId && f.UnitId == unitId).Sum(f => f.Bytes);
}
