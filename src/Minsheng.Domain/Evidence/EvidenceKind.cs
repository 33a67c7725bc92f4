namespace Minsheng.Domain.Evidence;

/// <summary>The kinds of evidence file (佐证材料) the service recognises, decided from a file's first bytes (<see cref="EvidenceSniffer"/>).</summary>
public enum EvidenceKind
{
    /// <summary>A JPEG photo (<c>FF D8 FF</c>).</summary>
    Jpeg,

    /// <summary>A PNG image (the 8-byte PNG signature).</summary>
    Png,

    /// <summary>A HEIC/HEIF photo (an ISO-BMFF <c>ftyp</c> box with a HEIF brand). Recognised so it can be refused by name: the server cannot decode it.</summary>
    Heic,

    /// <summary>A PDF document (<c>%PDF-</c>).</summary>
    Pdf,
}

/// <summary>What each kind is served as.</summary>
public static class EvidenceKinds
{
    /// <summary>The content type a file of this kind is stored and served with.</summary>
    public static string ContentType(this EvidenceKind kind) => kind switch
    {
        EvidenceKind.Jpeg => "image/jpeg",
        EvidenceKind.Png => "image/png",
        EvidenceKind.Heic => "image/heic",
        EvidenceKind.Pdf => "application/pdf",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Images are shown in the page (<c>inline</c>); anything else is only ever downloaded (<c>attachment</c>).</summary>
    public static bool IsImage(this EvidenceKind kind) => kind is EvidenceKind.Jpeg or EvidenceKind.Png or EvidenceKind.Heic;
}
