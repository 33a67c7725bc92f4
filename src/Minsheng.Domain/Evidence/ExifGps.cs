using System.Buffers.Binary;

namespace Minsheng.Domain.Evidence;

/// <summary>
/// Removes the GPS IFD (the location) from an EXIF block (a TIFF structure: the body of a JPEG's APP1 <c>Exif</c>
/// segment after its 6-byte header, or a PNG's <c>eXIf</c> chunk), in place and without changing its length: the
/// GPSInfo entry (tag 0x8825) leaves IFD0, and the GPS IFD with every value it points to is overwritten with zeros, so
/// the coordinates are gone from the bytes, not merely unlinked. Everything else (orientation, camera, time) stays.
/// </summary>
public static class ExifGps
{
    private const ushort GpsInfoTag = 0x8825;

    /// <summary>
    /// True when a GPS IFD was found and removed; false when there was none. Throws <see cref="InvalidDataException"/>
    /// when the structure points outside itself.
    /// </summary>
    public static bool Remove(Span<byte> tiff)
    {
        if (tiff.Length < 8) throw new InvalidDataException("EXIF shorter than its header");
        var little = tiff[0] == (byte)'I' && tiff[1] == (byte)'I';
        if (!little && !(tiff[0] == (byte)'M' && tiff[1] == (byte)'M')) throw new InvalidDataException("EXIF byte order is neither II nor MM");
        var ifd0 = (int)Checked(U32(tiff, 4, little), tiff.Length);
        var count = U16(tiff, ifd0, little);
        var end = ifd0 + 2 + count * 12;
        Checked((uint)end + 4, tiff.Length);
        for (var i = 0; i < count; i++)
        {
            var entry = ifd0 + 2 + i * 12;
            if (U16(tiff, entry, little) != GpsInfoTag) continue;
            var gps = (int)U32(tiff, entry + 8, little);
            ZeroGpsIfd(tiff, gps, little);
            // Shift the following entries and the next-IFD offset up by one entry; zero the 12 bytes freed at the end.
            tiff.Slice(entry + 12, end + 4 - (entry + 12)).CopyTo(tiff[entry..]);
            tiff.Slice(end + 4 - 12, 12).Clear();
            Write16(tiff, ifd0, (ushort)(count - 1), little);
            return true;
        }
        return false;
    }

    private static void ZeroGpsIfd(Span<byte> tiff, int gps, bool little)
    {
        if (gps < 8 || gps + 2 > tiff.Length) return; // a pointer to nowhere: unlinking it is all there is to do
        var count = U16(tiff, gps, little);
        var end = Math.Min(tiff.Length, gps + 2 + count * 12 + 4);
        for (var i = 0; i < count && gps + 2 + (i + 1) * 12 <= tiff.Length; i++)
        {
            var entry = gps + 2 + i * 12;
            var size = (long)TypeSize(U16(tiff, entry + 2, little)) * U32(tiff, entry + 4, little);
            if (size <= 4) continue;
            var at = U32(tiff, entry + 8, little);
            if (at < 8 || at + size > tiff.Length) continue;
            tiff.Slice((int)at, (int)size).Clear();
        }
        tiff[gps..end].Clear();
    }

    private static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 => 4,
        5 or 10 or 12 => 8,
        _ => 1,
    };

    private static uint Checked(uint at, int length) =>
        at < 8 || at > length ? throw new InvalidDataException("EXIF points outside itself") : at;

    private static ushort U16(ReadOnlySpan<byte> b, int at, bool little)
    {
        if (at < 0 || at + 2 > b.Length) throw new InvalidDataException("EXIF points outside itself");
        return little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);
    }

    private static uint U32(ReadOnlySpan<byte> b, int at, bool little)
    {
        if (at < 0 || at + 4 > b.Length) throw new InvalidDataException("EXIF points outside itself");
        return little ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[at..]);
    }

    private static void Write16(Span<byte> b, int at, ushort value, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt16LittleEndian(b[at..], value);
        else BinaryPrimitives.WriteUInt16BigEndian(b[at..], value);
    }
}
