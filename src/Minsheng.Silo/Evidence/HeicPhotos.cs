using ImageMagick;
using Minsheng.Domain.Evidence;

namespace Minsheng.Silo.Evidence;

/// <summary>
/// HEIC photos (what phones take by default) turned into JPEG on upload, with Magick.NET (ImageMagick with libheif):
/// SkiaSharp here has no HEIF codec, and no browser shows HEIC, so the page could not show the photo either. The header's
/// dimensions are checked against the limits before anything is decoded, and ImageMagick's own resource limits bound the
/// decode (pixels, sides, memory); the photo is turned upright (EXIF orientation), its EXIF and XMP dropped unless the
/// plan keeps the location (then they are carried into the JPEG), and encoded at quality 90. The JPEG is what is stored,
/// checked and thumbnailed like any other; the same HEIC converts to the same bytes, so it is still stored once.
/// </summary>
public static class HeicPhotos
{
    private static int _limited;

    /// <summary>ImageMagick's resource limits, from the evidence limits (process-wide; set once).</summary>
    private static void Limit(EvidenceLimits limits)
    {
        if (Interlocked.Exchange(ref _limited, 1) == 1) return;
        ResourceLimits.Width = (ulong)limits.MaxSide;
        ResourceLimits.Height = (ulong)limits.MaxSide;
        ResourceLimits.Area = (ulong)limits.MaxPixels;
        ResourceLimits.Memory = 512UL * 1024 * 1024;
    }

    /// <summary>Writes the photo as JPEG to <paramref name="output"/>; or why it cannot (Chinese), writing nothing.</summary>
    public static string? ToJpeg(Stream heic, Stream output, EvidenceLimits limits, bool keepLocation)
    {
        Limit(limits);
        try
        {
            heic.Position = 0;
            var info = new MagickImageInfo(heic);
            if (info.Width == 0 || info.Height == 0) return "HEIC 照片没有尺寸信息";
            if (info.Width > (uint)limits.MaxSide || info.Height > (uint)limits.MaxSide || (long)info.Width * info.Height > limits.MaxPixels)
                return $"图片尺寸 {info.Width}×{info.Height} 超过上限（{limits.MaxPixels:N0} 像素，单边 {limits.MaxSide} 像素）";
            heic.Position = 0;
            using var image = new MagickImage(heic, new MagickReadSettings { Format = MagickFormat.Heic });
            image.AutoOrient();
            if (!keepLocation)
            {
                image.RemoveProfile("exif");
                image.RemoveProfile("xmp");
            }
            image.Quality = 90;
            image.Write(output, MagickFormat.Jpeg);
            return null;
        }
        catch (MagickException)
        {
            return "HEIC 照片已损坏或无法解码";
        }
    }

    /// <summary>The stored name of a converted photo: its name with <c>.jpg</c> for <c>.heic</c>/<c>.heif</c> (or added).</summary>
    public static string JpegName(string name)
    {
        var extension = Path.GetExtension(name);
        var stem = extension.Equals(".heic", StringComparison.OrdinalIgnoreCase) || extension.Equals(".heif", StringComparison.OrdinalIgnoreCase)
            ? name[..^extension.Length] : name;
        return stem + ".jpg";
    }
}
