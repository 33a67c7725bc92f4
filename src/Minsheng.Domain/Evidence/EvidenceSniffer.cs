namespace Minsheng.Domain.Evidence;

/// <summary>
/// Decides a file's kind from its first bytes (magic numbers), never from its name or the Content-Type a client sent:
/// a script named <c>photo.jpg</c> is no JPEG. <see cref="HeadLength"/> bytes are enough.
/// </summary>
public static class EvidenceSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> looks at (an ISO-BMFF <c>ftyp</c> box's brands fit).</summary>
    public const int HeadLength = 64;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> PdfSignature => "%PDF-"u8;

    /// <summary>HEIF brands of still images and image sequences (ISO/IEC 23008-12), HEVC-coded or generic.</summary>
    private static readonly string[] HeifBrands = ["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"];

    /// <summary>The kind the bytes are, or null when they are none of JPEG, PNG, HEIC/HEIF and PDF.</summary>
    public static EvidenceKind? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return EvidenceKind.Jpeg;
        if (head.StartsWith(PngSignature)) return EvidenceKind.Png;
        if (head.StartsWith(PdfSignature)) return EvidenceKind.Pdf;
        if (IsHeif(head)) return EvidenceKind.Heic;
        return null;
    }

    /// <summary>
    /// An <c>ftyp</c> box first, whose major brand is a HEIF brand, or whose major brand is the generic <c>mif1</c>/<c>msf1</c>
    /// with a HEIF brand among the compatible ones (AVIF, also <c>mif1</c>, is not HEIC).
    /// </summary>
    private static bool IsHeif(ReadOnlySpan<byte> head)
    {
        if (head.Length < 16 || !head.Slice(4, 4).SequenceEqual("ftyp"u8)) return false;
        var size = (int)Math.Min((uint)(head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3]), (uint)head.Length);
        var major = Brand(head, 8);
        if (HeifBrands.Contains(major)) return true;
        if (major is not ("mif1" or "msf1")) return false;
        for (var at = 16; at + 4 <= size; at += 4)
            if (HeifBrands.Contains(Brand(head, at))) return true;
        return false;
    }

    private static string Brand(ReadOnlySpan<byte> head, int at) => System.Text.Encoding.ASCII.GetString(head.Slice(at, 4));
}
