namespace Minsheng.Grains.Evidence;

/// <summary>
/// Evidence files (佐证材料) of reports: content-addressed blobs (keyed by the SHA-256 of the bytes stored, so a file
/// sent twice is stored once) and the links that name them under a report (plan, reportId, fileId) with who sent them.
/// PostgreSQL tables <c>minsheng_evidence_blobs</c> and <c>minsheng_evidence_files</c> (migration 0013) in that mode;
/// in memory on the embedded default. Links are never changed or removed, so no blob is ever left without one.
/// </summary>
public interface IEvidenceStore
{
    /// <summary>
    /// Links an upload's files to its report in one atomic write: all of them, with any blob not yet stored, or none.
    /// The report's file count and the unit's bytes are checked inside that write (PostgreSQL: under a lock per plan and
    /// unit), so two uploads at once can never pass a limit together. Nothing is written when a limit would be passed.
    /// </summary>
    Task<EvidenceAddResult> Add(EvidenceUpload upload, CancellationToken cancellationToken = default);

    /// <summary>A report's files in upload order (empty for a report without any).</summary>
    Task<IReadOnlyList<EvidenceFile>> List(string planId, string reportId, CancellationToken cancellationToken = default);

    /// <summary>The files of each of the reports named (for a history page), in upload order; reports without files are absent.</summary>
    Task<IReadOnlyList<EvidenceFile>> ListFor(string planId, IReadOnlyCollection<string> reportIds, CancellationToken cancellationToken = default);

    /// <summary>One file of a report, or null.</summary>
    Task<EvidenceFile?> Find(string planId, string reportId, string fileId, CancellationToken cancellationToken = default);

    /// <summary>The stored bytes of a blob, read as a stream (the caller disposes it), or null when no such blob is stored.</summary>
    Task<Stream?> OpenContent(string sha256, CancellationToken cancellationToken = default);

    /// <summary>The JPEG thumbnail stored beside a blob, or null when it has none (a PDF) or there is no such blob.</summary>
    Task<Stream?> OpenThumbnail(string sha256, CancellationToken cancellationToken = default);

    /// <summary>The bytes of all files a unit has uploaded to a plan (each link counted, as the unit limit counts them).</summary>
    Task<long> UnitBytes(string planId, string unitId, CancellationToken cancellationToken = default);
}

/// <summary>A file linked to a report, as listed and served.</summary>
/// <param name="Sha256">Lowercase hex SHA-256 of the stored bytes (after a photo's location was stripped): the blob's key and the ETag.</param>
public sealed record EvidenceFile(
    string PlanId,
    string ReportId,
    string FileId,
    string Name,
    string ContentType,
    long Bytes,
    string Sha256,
    string TaskId,
    string UnitId,
    DateTimeOffset UploadedAt,
    string Role,
    string Person);

/// <summary>One checked file of an upload, ready to store.</summary>
/// <param name="Open">Opens the bytes to store, from their start (the spooled file); called once, the stream is disposed by the store.</param>
/// <param name="Thumbnail">The JPEG thumbnail of an image; null for a PDF.</param>
public sealed record NewEvidenceFile(string FileId, string Name, string ContentType, long Bytes, string Sha256, Func<Stream> Open, byte[]? Thumbnail);

/// <summary>An upload: the files one request links to one report, and the limits the store enforces in the same write.</summary>
public sealed record EvidenceUpload(
    string PlanId,
    string ReportId,
    string TaskId,
    string UnitId,
    DateTimeOffset At,
    string Role,
    string Person,
    IReadOnlyList<NewEvidenceFile> Files,
    int MaxFilesPerReport,
    long MaxUnitBytes);

/// <summary>How an <see cref="IEvidenceStore.Add"/> ended.</summary>
public enum EvidenceAddStatus
{
    /// <summary>Every file was linked (and every new blob stored).</summary>
    Added,

    /// <summary>Nothing was written: the report would have more than <see cref="EvidenceUpload.MaxFilesPerReport"/> files.</summary>
    TooManyFiles,

    /// <summary>Nothing was written: the unit would have more than <see cref="EvidenceUpload.MaxUnitBytes"/> in the plan.</summary>
    UnitFull,
}

/// <summary>The outcome of an add: the files linked (when added), and the report's file count and unit's bytes before it.</summary>
public sealed record EvidenceAddResult(EvidenceAddStatus Status, IReadOnlyList<EvidenceFile> Files, int ReportFiles, long UnitBytes);
