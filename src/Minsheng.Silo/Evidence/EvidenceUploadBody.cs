using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Minsheng.Domain.Evidence;
using Minsheng.Silo.Api;

namespace Minsheng.Silo.Evidence;

/// <summary>A file part of an upload: its place (<c>files[i]</c>), the cleaned name it was sent with, and its spooled bytes.</summary>
public sealed record UploadedFile(int Index, string Name, SpooledFile Spool)
{
    /// <summary>The field a refusal of this file names.</summary>
    public string Field => $"files[{Index}]";
}

/// <summary>
/// Reads a <c>multipart/form-data</c> upload section by section with <see cref="MultipartReader"/>, each <c>files</c>
/// part spooled to its own temporary file while it is hashed and counted, never the body as a whole in memory. A part
/// over <see cref="EvidenceLimits.MaxFileBytes"/> stops the reading at once (413). The request body limit is set for this
/// request to what the limits allow (<see cref="EvidenceLimits.MaxRequestBytes"/>).
/// </summary>
public static class EvidenceUploadBody
{
    /// <summary>The form field every file part is sent under.</summary>
    public const string FilesField = "files";

    /// <summary>
    /// The files of the body, or a problem. Whatever was spooled is added to <paramref name="spooled"/> as soon as it
    /// exists, so the caller disposes (deletes) it on every path, a problem or an exception alike.
    /// </summary>
    public static async Task<ProblemHttpResult?> Read(HttpRequest request, EvidenceLimits limits, List<UploadedFile> spooled)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limits.MaxRequestBytes;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return Problems.Result(415, "Content-Type", "必须是 multipart/form-data，文件放在字段 files 中");
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            return Problems.Result(400, "Content-Type", "multipart/form-data 缺少有效的 boundary");

        var folder = limits.TempFolder ?? Path.GetTempPath();
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
        var aborted = request.HttpContext.RequestAborted;
        var index = 0;
        while (await reader.ReadNextSectionAsync(aborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition()
                || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, FilesField, StringComparison.Ordinal))
                return Problems.Result(400, $"files[{index}]", "每个部分都必须是字段 files 中的一个文件（带 filename）");
            if (index >= limits.MaxFilesPerReport)
                return Problems.Result(413, $"files[{index}]", $"一次最多上传 {limits.MaxFilesPerReport} 个文件");
            var sent = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
            var file = new UploadedFile(index, EvidenceFileName.Clean(sent), SpooledFile.Create(folder));
            spooled.Add(file);
            if (!await file.Spool.Fill(section.Body, limits.MaxFileBytes, aborted))
                return Problems.Result(413, file.Field, $"文件“{file.Name}”超过单个文件 {Size(limits.MaxFileBytes)} 的上限");
            index++;
        }
        return index == 0 ? Problems.Result(400, FilesField, "没有文件：请在字段 files 中至少上传一个文件") : null;
    }

    /// <summary>A byte count as people read it (20 MiB, 512 KiB, 100 字节).</summary>
    public static string Size(long bytes) =>
        bytes % (1024 * 1024) == 0 && bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB"
        : bytes % 1024 == 0 && bytes >= 1024 ? $"{bytes / 1024} KiB"
        : $"{bytes} 字节";
}
