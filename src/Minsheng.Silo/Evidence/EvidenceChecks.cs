using Minsheng.Domain.Evidence;
using Minsheng.Domain.Plans;
using Minsheng.Grains.Evidence;

namespace Minsheng.Silo.Evidence;

/// <summary>A file that passed its checks: what the store writes, and the spool files that hold its bytes (to dispose).</summary>
public sealed record CheckedFile(NewEvidenceFile File, SpooledFile Content);

/// <summary>A file refused by its checks: the status and the reason (Chinese, naming the file).</summary>
public sealed record FileRefusal(int Status, string Field, string Reason);

/// <summary>
/// Checks one uploaded file, in this order: not empty; its kind from its bytes (<see cref="EvidenceSniffer"/>; never its
/// name or the part's Content-Type): 415 for anything but JPEG, PNG, HEIC and PDF; a HEIC photo is converted to JPEG
/// (<see cref="HeicPhotos"/>) and checked as one;
/// a PDF without active content (<see cref="PdfActiveContent"/>, 422); an image within the pixel limits that decodes
/// completely, with its thumbnail (<see cref="EvidenceImages"/>, 422); then a photo's location is stripped
/// (<see cref="PhotoLocation"/>) unless the plan keeps it (<see cref="EvidencePolicy.KeepLocation"/>), into a second spool
/// file whose SHA-256 is the stored one.
/// </summary>
public sealed class EvidenceChecks(EvidenceImages images, EvidenceLimits limits)
{
    /// <summary>The checked file, or its refusal. A spool file made here is added to <paramref name="spooled"/> at once (the caller deletes it).</summary>
    public async Task<(CheckedFile? File, FileRefusal? Refusal)> Check(UploadedFile upload, Plan plan, List<SpooledFile> spooled, CancellationToken cancellationToken)
    {
        FileRefusal Refuse(int status, string reason) => new(status, upload.Field, $"文件“{upload.Name}”{reason}");
        var spool = upload.Spool;
        if (spool.Bytes == 0) return (null, Refuse(422, "是空文件"));

        var head = new byte[EvidenceSniffer.HeadLength];
        spool.Content.Position = 0;
        var read = await spool.Content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        switch (EvidenceSniffer.Sniff(head.AsSpan(0, read)))
        {
            case null:
                return (null, Refuse(415, "的内容不是 JPEG、PNG、HEIC 或 PDF（类型按文件内容判断，不看文件名）"));
            case EvidenceKind.Heic:
            {
                // Stored as the JPEG it converts to (HeicPhotos), then checked and thumbnailed as a JPEG.
                var converted = SpooledFile.Create(limits.TempFolder ?? Path.GetTempPath());
                spooled.Add(converted);
                string? why = null;
                await converted.Write(output => why = HeicPhotos.ToJpeg(spool.Content, output, limits, plan.Evidence?.KeepLocation == true), cancellationToken);
                if (why is not null) return (null, Refuse(422, $"被拒绝：{why}"));
                return await Check(upload with { Name = HeicPhotos.JpegName(upload.Name), Spool = converted }, plan, spooled, cancellationToken);
            }
            case EvidenceKind.Pdf:
                spool.Content.Position = 0;
                if (PdfActiveContent.Find(spool.Content) is { } active) return (null, Refuse(422, $"被拒绝：{active}"));
                return (Stored(upload, spool, EvidenceKind.Pdf, null), null);
            case { } image:
                var (thumbnail, refusal) = await images.Thumbnail(spool.Content, limits, cancellationToken);
                if (refusal is not null) return (null, Refuse(422, $"被拒绝：{refusal}"));
                if (plan.Evidence?.KeepLocation == true) return (Stored(upload, spool, image, thumbnail), null);
                var stripped = SpooledFile.Create(limits.TempFolder ?? Path.GetTempPath());
                spooled.Add(stripped);
                try
                {
                    spool.Content.Position = 0;
                    await stripped.Write(output => PhotoLocation.Strip(image, spool.Content, output), cancellationToken);
                }
                catch (InvalidDataException)
                {
                    return (null, Refuse(422, "被拒绝：图片结构已损坏，无法去除其中的位置信息"));
                }
                return (Stored(upload, stripped, image, thumbnail), null);
        }
    }

    private static CheckedFile Stored(UploadedFile upload, SpooledFile content, EvidenceKind kind, byte[]? thumbnail) =>
        new(new NewEvidenceFile(Guid.CreateVersion7().ToString("N"), upload.Name, kind.ContentType(), content.Bytes, content.Sha256,
            content.OpenRead, thumbnail), content);
}
