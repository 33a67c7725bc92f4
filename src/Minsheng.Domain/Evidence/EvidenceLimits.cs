namespace Minsheng.Domain.Evidence;

/// <summary>
/// Bounds on evidence files (configuration section <c>Minsheng:Evidence</c>, checked at start). SECURITY.md says why
/// each default is what it is.
/// </summary>
public sealed class EvidenceLimits
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Minsheng:Evidence";

    /// <summary>Bytes one file may hold (413 past it; the upload stops reading at the first byte over). Default 20 MiB.</summary>
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Files one report may have, all its uploads together. Default 20.</summary>
    public int MaxFilesPerReport { get; set; } = 20;

    /// <summary>Bytes one unit (a street, or 区本级) may have uploaded to one plan, counted per file linked. Default 2 GiB.</summary>
    public long MaxUnitBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Pixels (width × height, read from the header) an image may claim before anything is decoded. Default 50,000,000.</summary>
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>
    /// Pixels one side of an image may have (the longest JPEG allows), so one decoded row stays small whatever the
    /// aspect ratio. Default 65,535.
    /// </summary>
    public int MaxSide { get; set; } = 65_535;

    /// <summary>The longest side of a thumbnail, in pixels. Default 320.</summary>
    public int ThumbnailSize { get; set; } = 320;

    /// <summary>Where uploads are spooled while they are checked (deleted when the request ends); default the system's temporary folder.</summary>
    public string? TempFolder { get; set; }

    /// <summary>The largest request body an upload may send: every file at its limit, plus room for the parts' headers.</summary>
    public long MaxRequestBytes => checked(MaxFilesPerReport * (MaxFileBytes + PartOverheadBytes));

    /// <summary>Room allowed per part for its boundary and headers.</summary>
    public const long PartOverheadBytes = 16 * 1024;

    /// <summary>The broken rules, each naming its full key; none when the limits are usable.</summary>
    public IEnumerable<string> Errors()
    {
        if (MaxFileBytes < 1) yield return $"{Section}:MaxFileBytes must be at least 1, not {MaxFileBytes}";
        if (MaxFilesPerReport < 1) yield return $"{Section}:MaxFilesPerReport must be at least 1, not {MaxFilesPerReport}";
        if (MaxUnitBytes < MaxFileBytes) yield return $"{Section}:MaxUnitBytes must be at least MaxFileBytes ({MaxFileBytes}), not {MaxUnitBytes}";
        if (MaxPixels < 1) yield return $"{Section}:MaxPixels must be at least 1, not {MaxPixels}";
        if (MaxSide < 1) yield return $"{Section}:MaxSide must be at least 1, not {MaxSide}";
        if (ThumbnailSize is < 16 or > 2048) yield return $"{Section}:ThumbnailSize must be from 16 to 2048, not {ThumbnailSize}";
        if (MaxFilesPerReport >= 1 && MaxFileBytes >= 1 && (MaxFileBytes + PartOverheadBytes) > long.MaxValue / MaxFilesPerReport)
            yield return $"{Section}: MaxFilesPerReport × MaxFileBytes is too large";
        if (TempFolder is { } folder && !Directory.Exists(folder)) yield return $"{Section}:TempFolder '{folder}' does not exist";
    }
}
