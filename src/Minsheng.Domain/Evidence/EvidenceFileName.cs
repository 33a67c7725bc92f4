using System.Globalization;
using System.Text;

namespace Minsheng.Domain.Evidence;

/// <summary>
/// The name a file is stored and served under: what the client called it, cleaned so it can never forge a header, a
/// path or a misleading display, and the <c>Content-Disposition</c> that serves it.
/// </summary>
public static class EvidenceFileName
{
    /// <summary>The longest name kept, in characters (the extension is kept when a longer one is cut).</summary>
    public const int MaxLength = 120;

    /// <summary>The name of a file that came without a usable one.</summary>
    public const string Fallback = "file";

    /// <summary>
    /// The last segment of what the client sent (no folders, either slash), without control characters (C0, DEL, C1),
    /// bidirectional overrides and isolates (which make <c>exe.jpg</c> read as <c>gpj.exe</c>) or surrounding blanks,
    /// at most <see cref="MaxLength"/> characters; <see cref="Fallback"/> when nothing is left (or only dots).
    /// </summary>
    public static string Clean(string? name)
    {
        if (string.IsNullOrEmpty(name)) return Fallback;
        var last = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var kept = new StringBuilder(last.Length);
        foreach (var rune in last.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || IsBidiControl(rune.Value) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format) continue;
            kept.Append(rune.ToString());
        }
        var clean = kept.ToString().Trim();
        if (clean.Trim('.').Length == 0) return Fallback;
        if (clean.Length <= MaxLength) return clean;
        var dot = clean.LastIndexOf('.');
        var extension = dot > 0 && clean.Length - dot <= 10 ? clean[dot..] : "";
        var stem = clean[..(MaxLength - extension.Length)];
        if (char.IsHighSurrogate(stem[^1])) stem = stem[..^1];
        return stem + extension;
    }

    private static bool IsBidiControl(int c) => c is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 or 0x200E or 0x200F or 0x061C;

    /// <summary>
    /// <c>inline</c> or <c>attachment</c> with an ASCII <c>filename</c> (other characters, quotes and backslashes as
    /// <c>_</c>) for old clients and the exact name as RFC 5987 <c>filename*=UTF-8''…</c>.
    /// </summary>
    public static string ContentDisposition(string name, bool inline)
    {
        var ascii = new StringBuilder(name.Length);
        foreach (var c in name) ascii.Append(c is >= ' ' and < (char)0x7F and not '"' and not '\\' ? c : '_');
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                || "!#$&+-.^_`|~"u8.IndexOf(b) >= 0)
                encoded.Append((char)b);
            else encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return $"{(inline ? "inline" : "attachment")}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}";
    }
}
