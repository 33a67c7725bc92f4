using System.Text;
using Minsheng.Domain.Evidence;

namespace Minsheng.Domain.Tests.Evidence;

/// <summary>The evidence rules on bytes: kinds from magic numbers, PDF active content, location stripping, names.</summary>
public sealed class EvidenceRulesTests
{
    // A JPEG as the stripper sees it: SOI, a quantisation table, a scan with "pixels", EOI. Nothing here decodes it.
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x04, 0x01, 0x02, 0xFF, 0xDA, 0x00, 0x04, 0x00, 0x00, 0x11, 0x22, 0xFF, 0x00, 0x33, 0xFF, 0xD9];

    [Fact]
    public void The_kind_comes_from_the_bytes()
    {
        Assert.Equal(EvidenceKind.Jpeg, EvidenceSniffer.Sniff(Jpeg));
        Assert.Equal(EvidenceKind.Png, EvidenceSniffer.Sniff(EvidenceSamples.PngClaiming(1, 1)));
        Assert.Equal(EvidenceKind.Pdf, EvidenceSniffer.Sniff(EvidenceSamples.Pdf()));
        Assert.Equal(EvidenceKind.Heic, EvidenceSniffer.Sniff(EvidenceSamples.Heic));
        Assert.Null(EvidenceSniffer.Sniff("#!/bin/sh\nrm -rf /\n"u8));
        Assert.Null(EvidenceSniffer.Sniff("<html><script>"u8));
        Assert.Null(EvidenceSniffer.Sniff([]));
        // AVIF shares the generic mif1 brand with HEIF but is not HEIC.
        Assert.Null(EvidenceSniffer.Sniff("\0\0\0\x18ftypavifmif1avifmiaf"u8));
    }

    [Fact]
    public void A_pdf_with_script_launch_or_attachments_is_found_even_escaped_or_compressed()
    {
        Assert.Null(Find(EvidenceSamples.Pdf()));
        Assert.Contains("/JavaScript", Find(EvidenceSamples.Pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")));
        Assert.Contains("/Launch", Find(EvidenceSamples.Pdf("/OpenAction << /S /Launch /F (cmd.exe) >>")));
        Assert.Contains("/EmbeddedFiles", Find(EvidenceSamples.Pdf("/Names << /EmbeddedFiles 9 0 R >>")));
        Assert.Contains("/JavaScript", Find(EvidenceSamples.PdfWithScriptInObjectStream()));
        Assert.Contains("加密", Find(EvidenceSamples.Pdf("/Encrypt 9 0 R")));
        // A name merely starting like one (/JSON) is not one.
        Assert.Null(Find(EvidenceSamples.Pdf("/JSON (x)")));
    }

    private static string? Find(byte[] pdf) => PdfActiveContent.Find(new MemoryStream(pdf));

    [Fact]
    public void A_jpeg_loses_its_gps_ifd_and_xmp_but_keeps_the_rest_of_its_exif_and_its_pixels()
    {
        var photo = EvidenceSamples.Insert(Jpeg, EvidenceSamples.ExifWithGps(orientation: 6), EvidenceSamples.XmpWithGps());
        Assert.True(EvidenceSamples.Contains(photo, EvidenceSamples.LatitudeMarker));
        var stripped = Strip(EvidenceKind.Jpeg, photo, out var changed);
        Assert.True(changed);
        Assert.False(EvidenceSamples.Contains(stripped, EvidenceSamples.LatitudeMarker));
        Assert.False(EvidenceSamples.Contains(stripped, "GPSLatitude"u8));
        Assert.True(EvidenceSamples.Contains(stripped, "Minsheng\0"u8));
        Assert.True(EvidenceSamples.Contains(stripped, [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06])); // orientation 6 kept
        Assert.EndsWith(Convert.ToHexString(Jpeg[2..]), Convert.ToHexString(stripped));                             // the rest byte for byte

        var plain = Strip(EvidenceKind.Jpeg, Jpeg, out var untouched);
        Assert.False(untouched);
        Assert.Equal(Jpeg, plain);
    }

    [Fact]
    public void A_png_exif_chunk_loses_its_gps_ifd_with_a_new_crc()
    {
        var exif = EvidenceSamples.ExifWithGps()[10..];
        using var png = new MemoryStream();
        var plain = EvidenceSamples.PngClaiming(2, 2);
        png.Write(plain.AsSpan(0, 33)); // signature and IHDR
        EvidenceSamples.Chunk(png, "eXIf", exif);
        png.Write(plain.AsSpan(33));
        var stripped = Strip(EvidenceKind.Png, png.ToArray(), out var changed);
        Assert.True(changed);
        Assert.False(EvidenceSamples.Contains(stripped, EvidenceSamples.LatitudeMarker));
        Assert.Equal(png.Length, stripped.Length);
        using var expected = new MemoryStream();
        expected.Write(plain.AsSpan(0, 33));
        var cleaned = (byte[])exif.Clone();
        ExifGps.Remove(cleaned);
        EvidenceSamples.Chunk(expected, "eXIf", cleaned); // the CRC a reader checks
        expected.Write(plain.AsSpan(33));
        Assert.Equal(expected.ToArray(), stripped);
    }

    [Fact]
    public void A_broken_segment_is_refused_not_guessed()
    {
        byte[] broken = [0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 0x45];
        Assert.Throws<InvalidDataException>(() => Strip(EvidenceKind.Jpeg, broken, out _));
    }

    private static byte[] Strip(EvidenceKind kind, byte[] input, out bool changed)
    {
        using var output = new MemoryStream();
        changed = PhotoLocation.Strip(kind, new MemoryStream(input), output);
        return output.ToArray();
    }

    [Theory]
    [InlineData("photo.jpg", "photo.jpg")]
    [InlineData("C:\\Users\\张三\\现场照片.jpg", "现场照片.jpg")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("invoice\u202Egpj.exe", "invoicegpj.exe")]
    [InlineData("a\r\nSet-Cookie: x=1", "aSet-Cookie: x=1")]
    [InlineData("..", "file")]
    [InlineData("", "file")]
    public void Names_are_cleaned(string sent, string kept) => Assert.Equal(kept, EvidenceFileName.Clean(sent));

    [Fact]
    public void A_long_name_keeps_its_extension_and_the_disposition_carries_the_exact_name()
    {
        var name = EvidenceFileName.Clean(new string('照', 300) + ".jpg");
        Assert.Equal(EvidenceFileName.MaxLength, name.Length);
        Assert.EndsWith(".jpg", name);
        Assert.Equal("attachment; filename=\"__ _x_.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%22x%22.pdf",
            EvidenceFileName.ContentDisposition("报告 \"x\".pdf", inline: false));
        Assert.StartsWith("inline; filename=\"a.jpg\"", EvidenceFileName.ContentDisposition("a.jpg", inline: true));
    }

    [Fact]
    public void The_limits_name_their_keys_when_wrong()
    {
        Assert.Empty(new EvidenceLimits().Errors());
        var errors = new EvidenceLimits { MaxFileBytes = 0, MaxFilesPerReport = 0, ThumbnailSize = 4, TempFolder = "/no/such/folder" }.Errors().ToList();
        Assert.Contains(errors, e => e.StartsWith("Minsheng:Evidence:MaxFileBytes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Minsheng:Evidence:MaxFilesPerReport", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Minsheng:Evidence:ThumbnailSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Minsheng:Evidence:TempFolder", StringComparison.Ordinal));
        Assert.Equal(20 * (20L * 1024 * 1024 + EvidenceLimits.PartOverheadBytes), new EvidenceLimits().MaxRequestBytes);
    }
}
