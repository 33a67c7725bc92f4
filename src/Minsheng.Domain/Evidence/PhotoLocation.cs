using System.Buffers.Binary;

namespace Minsheng.Domain.Evidence;

/// <summary>
/// Copies a JPEG or PNG without the photo's location, on the byte stream: the pixels (a JPEG's entropy-coded scan, a
/// PNG's IDAT chunks) are copied untouched, never decoded and re-encoded.
/// <list type="bullet">
/// <item>JPEG: the APP1 <c>Exif</c> segment keeps everything but its GPS IFD (<see cref="ExifGps"/>); APP1 XMP segments
/// (standard and extended), which repeat the location as <c>exif:GPSLatitude</c>, are dropped whole.</item>
/// <item>PNG: the <c>eXIf</c> chunk likewise loses its GPS IFD (its CRC written anew); XMP text chunks
/// (<c>iTXt</c>/<c>tEXt</c>/<c>zTXt</c> with the keyword <c>XML:com.adobe.xmp</c>) are dropped.</item>
/// </list>
/// </summary>
public static class PhotoLocation
{
    private static ReadOnlySpan<byte> ExifHeader => "Exif\0\0"u8;
    private static ReadOnlySpan<byte> XmpHeader => "http://ns.adobe.com/xap/1.0/\0"u8;
    private static ReadOnlySpan<byte> XmpExtensionHeader => "http://ns.adobe.com/xmp/extension/\0"u8;
    private static ReadOnlySpan<byte> XmpKeyword => "XML:com.adobe.xmp\0"u8;

    /// <summary>
    /// Writes <paramref name="input"/> (from its start) to <paramref name="output"/> without location; true when
    /// anything was removed. Throws <see cref="InvalidDataException"/> when the structure is broken (a segment or chunk
    /// longer than the file).
    /// </summary>
    public static bool Strip(EvidenceKind kind, Stream input, Stream output) => kind switch
    {
        EvidenceKind.Jpeg => StripJpeg(input, output),
        EvidenceKind.Png => StripPng(input, output),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "only JPEG and PNG carry a location this service strips"),
    };

    private static bool StripJpeg(Stream input, Stream output)
    {
        Span<byte> marker = stackalloc byte[4];
        ReadExactly(input, marker[..2]);
        if (marker[0] != 0xFF || marker[1] != 0xD8) throw new InvalidDataException("not a JPEG");
        output.Write(marker[..2]);
        var changed = false;
        while (true)
        {
            ReadExactly(input, marker[..2]);
            if (marker[0] != 0xFF) throw new InvalidDataException("JPEG marker expected");
            var code = marker[1];
            // Fill bytes, and markers without a length (TEM, RSTn), are copied as they are.
            if (code == 0xFF) { output.WriteByte(0xFF); input.Seek(-1, SeekOrigin.Current); continue; }
            if (code is 0x01 or >= 0xD0 and <= 0xD7) { output.Write(marker[..2]); continue; }
            if (code == 0xD9) { output.Write(marker[..2]); return changed; }
            ReadExactly(input, marker[2..4]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(marker[2..4]);
            if (length < 2) throw new InvalidDataException("JPEG segment length below 2");
            if (code == 0xDA)
            {
                // Start of scan: from here on the compressed image and what follows, byte for byte.
                output.Write(marker);
                input.CopyTo(output);
                return changed;
            }
            var body = new byte[length - 2];
            ReadExactly(input, body);
            if (code == 0xE1 && (body.AsSpan().StartsWith(XmpHeader) || body.AsSpan().StartsWith(XmpExtensionHeader)))
            {
                changed = true;
                continue;
            }
            if (code == 0xE1 && body.AsSpan().StartsWith(ExifHeader))
                changed |= ExifGps.Remove(body.AsSpan(ExifHeader.Length));
            output.Write(marker);
            output.Write(body);
        }
    }

    private static bool StripPng(Stream input, Stream output)
    {
        Span<byte> head = stackalloc byte[8];
        ReadExactly(input, head);
        output.Write(head);
        var changed = false;
        Span<byte> crc = stackalloc byte[4];
        while (true)
        {
            if (!TryReadExactly(input, head)) return changed; // no IEND: the image check refuses it, nothing to strip
            var length = BinaryPrimitives.ReadUInt32BigEndian(head[..4]);
            if (length > int.MaxValue || length > input.Length - input.Position) throw new InvalidDataException("PNG chunk longer than the file");
            var type = head[4..8].ToArray();
            if (type.AsSpan().SequenceEqual("IDAT"u8) || length > 1 << 24)
            {
                // Pixel data (and any chunk too large to be metadata) is streamed through untouched.
                output.Write(head);
                CopyBytes(input, output, length + 4);
                continue;
            }
            var data = new byte[length];
            ReadExactly(input, data);
            ReadExactly(input, crc);
            if ((type.AsSpan().SequenceEqual("iTXt"u8) || type.AsSpan().SequenceEqual("tEXt"u8) || type.AsSpan().SequenceEqual("zTXt"u8))
                && data.AsSpan().StartsWith(XmpKeyword))
            {
                changed = true;
                continue;
            }
            if (type.AsSpan().SequenceEqual("eXIf"u8) && ExifGps.Remove(data))
            {
                changed = true;
                BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(Crc32(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu);
            }
            output.Write(head);
            output.Write(data);
            output.Write(crc);
            if (type.AsSpan().SequenceEqual("IEND"u8))
            {
                input.CopyTo(output);
                return changed;
            }
        }
    }

    /// <summary>PNG's CRC-32 (ISO 3309), continued over <paramref name="bytes"/>; start at 0xFFFFFFFF, invert at the end.</summary>
    private static uint Crc32(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc;
    }

    private static void CopyBytes(Stream input, Stream output, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0) throw new InvalidDataException("file ends inside a chunk");
            output.Write(buffer, 0, read);
            count -= read;
        }
    }

    private static void ReadExactly(Stream input, Span<byte> buffer)
    {
        if (!TryReadExactly(input, buffer)) throw new InvalidDataException("file ends inside a segment");
    }

    private static bool TryReadExactly(Stream input, Span<byte> buffer) =>
        input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;
}
