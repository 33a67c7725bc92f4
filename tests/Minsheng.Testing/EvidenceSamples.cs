using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Minsheng.Testing;

/// <summary>
/// Evidence files built in code for the tests: EXIF with a GPS location spliced into a JPEG, PDFs with and without
/// script, a PNG header claiming enormous dimensions, and a real HEIC (made once with libheif's heif-enc 1.15.1 from a
/// 64×48 red JPEG; 492 bytes).
/// </summary>
public static class EvidenceSamples
{
    /// <summary>The first GPS rational of <see cref="ExifWithGps"/> (latitude degrees 30123457/1000000), as it appears in the bytes: present means the location is there.</summary>
    public static readonly byte[] LatitudeMarker = [0x01, 0xCB, 0xA5, 0xC1, 0x00, 0x0F, 0x42, 0x40];

    /// <summary>A HEIC photo (ftyp heic, mif1).</summary>
    public static byte[] Heic => Convert.FromBase64String("AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAaptZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAA5waXRtAAAAAAACAAAAEGlkYXQAAAAAAEAAMAAAADhpbG9jAQAAAERAAAIAAQAAAAAAAAHOAAEAAAAAAAAAHgACAAEAAAAAAAAAAQAAAAAAAAAIAAAAOGlpbmYAAAAAAAIAAAAVaW5mZQIAAAEAAQAAaHZjMQAAAAAVaW5mZQIAAAAAAgAAZ3JpZAAAAADVaXBycAAAALNpcGNvAAAAc2h2Y0MBA3AAAAAAAAAAAAAe8AD8/fj4AAAPAyAAAQAYQAEMAf//A3AAAAMAkAAAAwAAAwAeugJAIQABACdCAQEDcAAAAwCQAAADAAADAB6gIIEFlurkprmwIAAAAwAgAAADACEiAAEABkQBwXPAiQAAABRpc3BlAAAAAAAAAEAAAABAAAAAFGlzcGUAAAAAAAAAQAAAADAAAAAQcGl4aQAAAAADCAgIAAAAGmlwbWEAAAAAAAAAAgABAoECAAICA4QAAAAaaXJlZgAAAAAAAAAOZGltZwACAAEAAQAAACZtZGF0AAAAGigBrxOA+BDhp//8TSj/+nXPD9PMe/OikM+A");

    /// <summary>
    /// An APP1 Exif segment (big-endian TIFF): IFD0 with Orientation = <paramref name="orientation"/>, Make "Minsheng" and a
    /// GPSInfo pointer; the GPS IFD with N 30.123457°, E 120.1°.
    /// </summary>
    public static byte[] ExifWithGps(ushort orientation = 1)
    {
        var tiff = new byte[200];
        var t = tiff.AsSpan();
        "MM"u8.CopyTo(t);
        BinaryPrimitives.WriteUInt16BigEndian(t[2..], 42);
        BinaryPrimitives.WriteUInt32BigEndian(t[4..], 8);
        // IFD0 at 8: 3 entries, next IFD 0. Make's value (9 bytes) at 60; GPS IFD at 80.
        BinaryPrimitives.WriteUInt16BigEndian(t[8..], 3);
        Entry(t, 10, 0x010F, 2, 9, 60);          // Make
        Entry(t, 22, 0x0112, 3, 1, (uint)orientation << 16); // Orientation (SHORT, left-justified)
        Entry(t, 34, 0x8825, 4, 1, 80);          // GPSInfo
        BinaryPrimitives.WriteUInt32BigEndian(t[46..], 0);
        "Minsheng\0"u8.CopyTo(t[60..]);
        // GPS IFD at 80: 4 entries; latitude rationals at 140, longitude at 164.
        BinaryPrimitives.WriteUInt16BigEndian(t[80..], 4);
        Entry(t, 82, 0x0001, 2, 2, (uint)'N' << 24);
        Entry(t, 94, 0x0002, 5, 3, 140);
        Entry(t, 106, 0x0003, 2, 2, (uint)'E' << 24);
        Entry(t, 118, 0x0004, 5, 3, 164);
        BinaryPrimitives.WriteUInt32BigEndian(t[130..], 0);
        Rationals(t, 140, (30123457, 1000000), (0, 1), (0, 1));
        Rationals(t, 164, (120, 1), (6, 1), (0, 1));
        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + 6 + tiff.Length));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment, 10);
        return segment;
    }

    /// <summary>An APP1 XMP segment naming a location.</summary>
    public static byte[] XmpWithGps()
    {
        var body = Encoding.ASCII.GetBytes("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:GPSLatitude=\"30,7.4N\"/></x:xmpmeta>");
        var segment = new byte[4 + body.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + body.Length));
        body.CopyTo(segment, 4);
        return segment;
    }

    /// <summary>The JPEG with <paramref name="segments"/> inserted right after its SOI marker.</summary>
    public static byte[] Insert(byte[] jpeg, params byte[][] segments) =>
        [.. jpeg.AsSpan(0, 2), .. segments.SelectMany(s => s), .. jpeg.AsSpan(2)];

    /// <summary>Whether <paramref name="bytes"/> contain <paramref name="part"/>.</summary>
    public static bool Contains(byte[] bytes, ReadOnlySpan<byte> part) => bytes.AsSpan().IndexOf(part) >= 0;

    /// <summary>A PNG whose header claims <paramref name="width"/>×<paramref name="height"/> RGBA pixels, with one tiny IDAT: a decompression bomb's shape.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 6;
        Chunk(png, "IHDR", ihdr);
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(new byte[4096]);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A PNG chunk with its CRC.</summary>
    public static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32([.. typeBytes, .. data]));
        png.Write(word);
    }

    /// <summary>A small valid PDF; <paramref name="catalogExtra"/> is added to its catalog dictionary (e.g. an /OpenAction with /JavaScript).</summary>
    public static byte[] Pdf(string catalogExtra = "") => Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + catalogExtra + " >>\nendobj\n" +
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n" +
        "trailer\n<< /Root 1 0 R >>\n%%EOF\n");

    /// <summary>A PDF whose catalog is hidden, with a script action, inside a /FlateDecode object stream.</summary>
    public static byte[] PdfWithScriptInObjectStream()
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(Encoding.ASCII.GetBytes("1 0 << /Type /Catalog /OpenAction << /S /J#61vaScript /JS (app.alert(1)) >> >>"));
        var body = compressed.ToArray();
        using var pdf = new MemoryStream();
        pdf.Write(Encoding.ASCII.GetBytes($"%PDF-1.5\n4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {body.Length} >>\nstream\n"));
        pdf.Write(body);
        pdf.Write(Encoding.ASCII.GetBytes("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"));
        return pdf.ToArray();
    }

    private static void Entry(Span<byte> t, int at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(t[at..], tag);
        BinaryPrimitives.WriteUInt16BigEndian(t[(at + 2)..], type);
        BinaryPrimitives.WriteUInt32BigEndian(t[(at + 4)..], count);
        BinaryPrimitives.WriteUInt32BigEndian(t[(at + 8)..], value);
    }

    private static void Rationals(Span<byte> t, int at, params (uint N, uint D)[] values)
    {
        foreach (var (n, d) in values)
        {
            BinaryPrimitives.WriteUInt32BigEndian(t[at..], n);
            BinaryPrimitives.WriteUInt32BigEndian(t[(at + 4)..], d);
            at += 8;
        }
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
