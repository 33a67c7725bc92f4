using System.IO.Compression;
using System.Text;

namespace Minsheng.Domain.Evidence;

/// <summary>
/// Finds active content in a PDF by scanning its bytes for the PDF names that carry it, without a PDF parser: a
/// document with any of them is refused (422), so every PDF served back is inert.
/// <list type="bullet">
/// <item>Names: <c>/JavaScript</c>, <c>/JS</c> (script actions, whether an <c>/OpenAction</c>, an <c>/AA</c> trigger or a
/// link runs them), <c>/Launch</c> (runs a program), <c>/EmbeddedFile</c>, <c>/EmbeddedFiles</c> (attachments),
/// <c>/RichMedia</c> (Flash, video), <c>/XFA</c> (forms with scripts). Names are read as PDF reads them, with
/// <c>#xx</c> escapes decoded, so <c>/J#61vaScript</c> is found too.</item>
/// <item>Where they can hide: objects may sit compressed inside <c>/FlateDecode</c> streams (object streams, PDF 1.5):
/// each such stream is inflated (bounded: at most <see cref="MaxInflatedBytes"/> in all, else the file is refused as
/// uncheckable) and scanned too. Unfiltered streams are scanned as they are. Image streams (<c>/Subtype /Image</c>)
/// and streams of image codecs are skipped: they hold pixels, never objects.</item>
/// <item>Uncheckable, so refused: an encrypted document (<c>/Encrypt</c>: its streams cannot be read), and a stream
/// with a filter this scan does not undo (<c>/ASCIIHexDecode</c>, <c>/ASCII85Decode</c>, <c>/LZWDecode</c>,
/// <c>/RunLengthDecode</c>, <c>/Crypt</c>) unless it is an image.</item>
/// </list>
/// The input must be seekable (a spooled file): streams are found in one pass and inflated in a second.
/// </summary>
public static class PdfActiveContent
{
    /// <summary>The inflated bytes one document may produce while it is checked, all its streams together.</summary>
    public const long MaxInflatedBytes = 256L * 1024 * 1024;

    private static readonly HashSet<string> Active = new(StringComparer.Ordinal)
        { "JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA" };

    private static readonly HashSet<string> Opaque = new(StringComparer.Ordinal)
        { "ASCIIHexDecode", "ASCII85Decode", "LZWDecode", "RunLengthDecode", "Crypt", "AHx", "A85", "LZW", "RL" };

    private static readonly HashSet<string> ImageCodecs = new(StringComparer.Ordinal)
        { "DCTDecode", "JPXDecode", "CCITTFaxDecode", "JBIG2Decode", "DCT", "CCF" };

    /// <summary>Why the PDF is refused, in Chinese (without the file's name), or null when it holds no active content.</summary>
    public static string? Find(Stream pdf)
    {
        pdf.Position = 0;
        var outer = new Scanner(collectStreams: true);
        outer.Feed(pdf);
        if (outer.Found is { } found) return Reason(found);
        if (outer.Refusal is { } refusal) return refusal;
        long inflated = 0;
        foreach (var start in outer.FlateStreams)
        {
            pdf.Position = start;
            var inner = new Scanner(collectStreams: false);
            try
            {
                using var zlib = new ZLibStream(pdf, CompressionMode.Decompress, leaveOpen: true);
                inflated += inner.Feed(zlib, MaxInflatedBytes - inflated);
            }
            catch (InvalidDataException)
            {
                // A damaged stream hides nothing a reader could run either: what was inflated before the damage is scanned.
            }
            if (inner.Found is { } hidden) return Reason(hidden);
            if (inflated >= MaxInflatedBytes) return $"PDF 解压后超过 {MaxInflatedBytes / (1024 * 1024)} MiB，无法检查其中是否含有脚本";
        }
        return null;
    }

    private static string Reason(string name) => $"PDF 含有可执行或嵌入的内容（/{name}），为安全起见不予接收；请另存为不含脚本、附件的 PDF 后上传";

    /// <summary>A byte-at-a-time tokenizer that keeps only what the check needs: names, the keywords <c>stream</c>/<c>endstream</c>.</summary>
    private sealed class Scanner(bool collectStreams)
    {
        private readonly StringBuilder _token = new();
        private readonly List<byte> _name = new(64);
        private bool _inName;
        private bool _inComment;
        private int _hex = -1;      // inside a #xx escape of a name: digits still to read (2, 1), or -1
        private int _hexValue;
        private bool _flate, _image, _opaque; // seen since the last stream (in the dictionary before it)
        private bool _skipping;     // inside a stream body that is not scanned
        private int _endMatch;      // how much of "endstream" was matched while skipping
        private int _eol;           // after the "stream" keyword: 1 = expect EOL
        private long _position;

        public string? Found { get; private set; }
        public string? Refusal { get; private set; }
        public List<long> FlateStreams { get; } = [];

        /// <summary>Scans the stream to its end (or <paramref name="limit"/> bytes); returns how many bytes it read.</summary>
        public long Feed(Stream input, long limit = long.MaxValue)
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while (Found is null && total < limit && (read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total))) > 0)
            {
                for (var i = 0; i < read && Found is null; i++) Step(buffer[i]);
                total += read;
            }
            EndName();
            return total;
        }

        private void Step(byte b)
        {
            _position++;
            if (_skipping)
            {
                var want = "endstream"u8[_endMatch];
                _endMatch = b == want ? _endMatch + 1 : b == (byte)'e' ? 1 : 0;
                if (_endMatch == 9) (_skipping, _endMatch) = (false, 0);
                return;
            }
            if (_eol > 0)
            {
                // "stream" is followed by CRLF or LF; the body starts after it.
                if (b == (byte)'\r') return;
                _eol = 0;
                StartBody(b == (byte)'\n' ? _position : _position - 1);
                if (b != (byte)'\n') { _position--; Step(b); }
                return;
            }
            if (_inComment) { if (b is (byte)'\r' or (byte)'\n') _inComment = false; return; }
            if (_inName)
            {
                if (_hex > 0 && IsHexDigit(b))
                {
                    _hexValue = _hexValue * 16 + HexValue(b);
                    if (--_hex == 0) { _name.Add((byte)_hexValue); _hex = -1; }
                    return;
                }
                if (b == (byte)'#') { (_hex, _hexValue) = (2, 0); return; }
                if (IsDelimiter(b) || IsWhite(b)) EndName();
                else { if (_name.Count < 64) _name.Add(b); return; }
            }
            if (b == (byte)'/') { (_inName, _hex) = (true, -1); _name.Clear(); EndKeyword(); return; }
            if (b == (byte)'%') { EndKeyword(); _inComment = true; return; }
            if (IsDelimiter(b) || IsWhite(b)) { EndKeyword(); return; }
            if (_token.Length < 16) _token.Append((char)b);
        }

        private void StartBody(long start)
        {
            if (_image) _skipping = true;
            else if (_opaque) { Refusal ??= "PDF 含有本服务无法检查的编码（如 ASCIIHex、ASCII85、LZW），无法确认其中不含脚本"; _skipping = true; }
            else if (_flate) { if (collectStreams) FlateStreams.Add(start); _skipping = true; }
            // An unfiltered stream is scanned as it is: an object stream may be stored uncompressed.
            (_flate, _image, _opaque) = (false, false, false);
        }

        private void EndName()
        {
            if (!_inName) return;
            _inName = false;
            var name = Encoding.Latin1.GetString(_name.ToArray());
            if (Active.Contains(name)) Found = name;
            else if (name == "Encrypt") Refusal ??= "PDF 已加密，无法检查其中是否含有脚本；请上传未加密的 PDF";
            else if (name is "FlateDecode" or "Fl") _flate = true;
            else if (name == "Image" || ImageCodecs.Contains(name)) _image = true;
            else if (Opaque.Contains(name)) _opaque = true;
        }

        private void EndKeyword()
        {
            if (_token.Length == 0) return;
            var keyword = _token.ToString();
            _token.Clear();
            if (keyword == "stream") _eol = 1;
            else if (keyword is "endobj" or "endstream") (_flate, _image, _opaque) = (false, false, false);
        }

        private static bool IsWhite(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;
        private static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';
        private static bool IsHexDigit(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
        private static int HexValue(byte b) => b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }
}
