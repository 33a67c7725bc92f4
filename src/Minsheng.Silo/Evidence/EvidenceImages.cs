using System.Runtime.InteropServices;
using Minsheng.Domain.Evidence;
using SkiaSharp;

namespace Minsheng.Silo.Evidence;

/// <summary>
/// Image checks and thumbnails with SkiaSharp, bounded in pixels and memory:
/// <list type="number">
/// <item><see cref="SKCodec"/> reads only the header: an image claiming more than <see cref="EvidenceLimits.MaxPixels"/>
/// pixels, or a side over <see cref="EvidenceLimits.MaxSide"/>, is refused before any pixel is decoded (a
/// decompression bomb: a tiny file of enormous dimensions).</item>
/// <item>The decode asks the codec for its smallest native scale that still covers twice the thumbnail (a JPEG decodes
/// at 1/2, 1/4 or 1/8 in libjpeg-turbo itself) and reads it one row at a time, keeping only the rows and pixels the
/// thumbnail samples: memory is one row plus a small bitmap, whatever the photo's size. (Interlaced PNG and progressive
/// JPEG make the codec hold the image or its coefficients: at most about 4 bytes × MaxPixels, and at most
/// <see cref="ConcurrentDecodes"/> decodes run at once.)</item>
/// <item>Every row must decode: a truncated file (fewer rows than its header says) is refused, never stored.</item>
/// <item>The thumbnail is a JPEG whose longest side is <see cref="EvidenceLimits.ThumbnailSize"/>, turned as the
/// photo's EXIF orientation says; it carries no metadata.</item>
/// </list>
/// HEIC is not decoded: SkiaSharp's Linux build has no HEIF codec (<c>SKCodec.Create</c> answers <c>Unimplemented</c>).
/// </summary>
public sealed class EvidenceImages
{
    /// <summary>Decodes that may run at once on this silo: half its cores, at least one.</summary>
    public static readonly int ConcurrentDecodes = Math.Max(1, Environment.ProcessorCount / 2);

    private readonly SemaphoreSlim _decodes = new(ConcurrentDecodes);

    /// <summary>The image's thumbnail (JPEG), or why the image is refused (Chinese, without the file's name).</summary>
    public async Task<(byte[]? Thumbnail, string? Refusal)> Thumbnail(Stream content, EvidenceLimits limits, CancellationToken cancellationToken)
    {
        await _decodes.WaitAsync(cancellationToken);
        try
        {
            content.Position = 0;
            return Decode(content, limits);
        }
        finally
        {
            _decodes.Release();
        }
    }

    private static (byte[]?, string?) Decode(Stream content, EvidenceLimits limits)
    {
        using var managed = new SKManagedStream(content, disposeManagedStream: false);
        using var codec = SKCodec.Create(managed, out var created);
        if (codec is null)
            return (null, created == SKCodecResult.IncompleteInput ? "图片不完整（文件被截断或已损坏）" : "图片无法解码（文件已损坏或格式不受支持）");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width < 1 || height < 1 || width > limits.MaxSide || height > limits.MaxSide || (long)width * height > limits.MaxPixels)
            return (null, $"图片尺寸 {width}×{height} 超过上限（每边不超过 {limits.MaxSide} 像素，共不超过 {limits.MaxPixels:N0} 像素），未予解码");

        var box = 2 * limits.ThumbnailSize;
        var scale = Math.Min(1f, (float)box / Math.Max(width, height));
        var scaled = codec.GetScaledDimensions(scale);
        var info = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        // Row by row where the codec can; else (Skia's PNG codec here) one decode of the (scaled) image, which the pixel limit bounds.
        using var whole = codec.StartScanlineDecode(info) == SKCodecResult.Success ? null : new SKBitmap(info);
        if (whole is not null)
        {
            var decoded = codec.GetPixels(info, whole.GetPixels());
            if (decoded == SKCodecResult.IncompleteInput) return (null, "图片不完整（文件被截断或已损坏）");
            if (decoded != SKCodecResult.Success) return (null, "图片无法解码（文件已损坏或格式不受支持）");
        }

        var fit = Math.Min(1.0, (double)box / Math.Max(info.Width, info.Height));
        var (outWidth, outHeight) = (Math.Max(1, (int)Math.Round(info.Width * fit)), Math.Max(1, (int)Math.Round(info.Height * fit)));
        var sampled = new byte[outWidth * outHeight * 4];
        var row = new byte[info.RowBytes];
        var rowPointer = Marshal.AllocHGlobal(info.RowBytes);
        try
        {
            var lastTarget = -1;
            for (var y = 0; y < info.Height; y++)
            {
                if (whole is null && codec.GetScanlines(rowPointer, 1, info.RowBytes) != 1) return (null, "图片不完整（文件被截断或已损坏）");
                var target = (int)((long)y * outHeight / info.Height);
                if (target == lastTarget) continue;
                lastTarget = target;
                Marshal.Copy(whole is null ? rowPointer : whole.GetPixels() + y * whole.RowBytes, row, 0, info.RowBytes);
                for (var x = 0; x < outWidth; x++)
                    Buffer.BlockCopy(row, (int)((long)x * info.Width / outWidth) * 4, sampled, (target * outWidth + x) * 4, 4);
            }
        }
        finally
        {
            Marshal.FreeHGlobal(rowPointer);
        }
        return (Encode(sampled, outWidth, outHeight, codec.EncodedOrigin, limits.ThumbnailSize), null);
    }

    private static byte[] Encode(byte[] pixels, int width, int height, SKEncodedOrigin origin, int size)
    {
        using var source = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        Marshal.Copy(pixels, 0, source.GetPixels(), pixels.Length);
        var fit = Math.Min(1.0, (double)size / Math.Max(width, height));
        var (w, h) = (Math.Max(1, (int)Math.Round(width * fit)), Math.Max(1, (int)Math.Round(height * fit)));
        var turned = origin is SKEncodedOrigin.RightTop or SKEncodedOrigin.LeftBottom or SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightBottom;
        using var target = new SKBitmap(new SKImageInfo(turned ? h : w, turned ? w : h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.White);
            canvas.SetMatrix(Orientation(origin, w, h));
            using var image = SKImage.FromBitmap(source);
            canvas.DrawImage(image, SKRect.Create(w, h), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        using var data = target.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }

    /// <summary>The transform that draws a <paramref name="w"/>×<paramref name="h"/> image stored in <paramref name="origin"/> upright.</summary>
    private static SKMatrix Orientation(SKEncodedOrigin origin, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
