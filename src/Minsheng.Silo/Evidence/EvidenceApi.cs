using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Minsheng.Domain.Evidence;
using Minsheng.Grains;
using Minsheng.Grains.Evidence;
using Minsheng.Silo.Api;
using Minsheng.Silo.Audit;

namespace Minsheng.Silo.Evidence;

/// <summary>
/// Evidence files (佐证材料) of a report: uploaded by whoever may report the report's assignment, read by whoever may
/// use the plan. Files are served with their stored type, <c>nosniff</c>, a sandboxing Content-Security-Policy and a
/// Content-Disposition: images <c>inline</c>, PDFs only as downloads (<c>attachment</c>).
/// </summary>
public static class EvidenceApi
{
    /// <summary>Maps upload, list, download and thumbnail under <c>/api/v1/plans/{planId}/reports/{reportId}/evidence</c>.</summary>
    public static IEndpointRouteBuilder MapEvidenceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plans/{planId}/reports/{reportId}/evidence").WithTags("Evidence").AuditsRefusals().RequirePlan()
            .ProducesProblems(ApiProblemMetadata.Guarded).ProducesProblems(404);
        group.MapPost("", Upload).WithName("UploadEvidence")
            .WithSummary("为一条已接受的上报上传佐证材料（multipart/form-data，字段 files，可多个）：照片（JPEG、PNG）或 PDF，类型按文件内容判断；照片的位置信息除计划保留外一律去除；同一内容只存一份。全部通过才保存，任一被拒则都不保存。")
            .WithMetadata(new MultipartFilesMetadata(EvidenceUploadBody.FilesField))
            .ProducesProblems(400, 413, 415, 422)
            .AuditRefusals(AuditAction.Evidence);
        group.MapGet("", List).WithName("ListEvidence")
            .WithSummary("一条上报的佐证材料清单（按上传顺序）。");
        group.MapGet("/{fileId}", Download).WithName("GetEvidenceFile")
            .WithSummary("下载佐证材料原件：图片 inline 显示，PDF 只作为附件下载；ETag 为 sha256。")
            .Produces(200, typeof(Stream), "image/jpeg", "image/png", "application/pdf").Produces(304);
        group.MapGet("/{fileId}/thumbnail", Thumbnail).WithName("GetEvidenceThumbnail")
            .WithSummary("佐证照片的缩略图（JPEG，长边约 320 像素）；PDF 没有缩略图（404）。")
            .Produces(200, typeof(Stream), "image/jpeg").Produces(304);
        return app;
    }

    private static async Task<Results<Created<EvidenceFileAnswer[]>, ProblemHttpResult>> Upload(PlanRoute route, string reportId, Caller caller,
        HttpRequest request, EvidenceReports reports, EvidenceChecks checks, IEvidenceStore store, EvidenceLimits limits, BusinessClock clock, IAuditLog audit)
    {
        var plan = route.Index;
        if (await reports.Find(plan.Id, reportId) is not var (taskId, unitId)) return ReportNotFound(reportId);
        if (!caller.MayReport(plan.Plan, plan.Task(taskId), unitId))
            return Problems.Forbidden("reportId", $"角色 {caller.Role} 无权为任务 {taskId} 中单位 {unitId} 的上报 {reportId} 上传佐证材料");

        var aborted = request.HttpContext.RequestAborted;
        var uploads = new List<UploadedFile>();
        var spooled = new List<SpooledFile>();
        try
        {
            if (await EvidenceUploadBody.Read(request, limits, uploads) is { } problem) return problem;
            var files = new List<NewEvidenceFile>();
            foreach (var upload in uploads)
            {
                var (file, refusal) = await checks.Check(upload, plan.Plan, spooled, aborted);
                if (refusal is not null) return Problems.Result(refusal.Status, refusal.Field, refusal.Reason);
                files.Add(file!.File);
            }
            var at = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
            var result = await store.Add(new EvidenceUpload(plan.Id, reportId, taskId, unitId, at, caller.Role, caller.Person, files,
                limits.MaxFilesPerReport, limits.MaxUnitBytes), aborted);
            switch (result.Status)
            {
                case EvidenceAddStatus.TooManyFiles:
                    return Problems.Result(422, "files",
                        $"上报 {reportId} 已有 {result.ReportFiles} 个佐证材料，再加{Named(files)} {files.Count} 个将超过每条上报 {limits.MaxFilesPerReport} 个的上限");
                case EvidenceAddStatus.UnitFull:
                    return Problems.Result(422, "files",
                        $"单位 {unitId} 在本计划已上传 {EvidenceUploadBody.Size(result.UnitBytes)}，再加{Named(files)} {EvidenceUploadBody.Size(files.Sum(f => f.Bytes))} 将超过每个单位 {EvidenceUploadBody.Size(limits.MaxUnitBytes)} 的上限");
            }
            var answers = result.Files.Select(EvidenceFileAnswer.Of).ToArray();
            await audit.Append(new AuditEntry(at, caller.Role, AuditAction.Evidence, AuditOutcome.Accepted, 201, plan.Id, reportId, taskId, unitId, null,
                new JsonObject { ["files"] = new JsonArray(answers.Select(a => (JsonNode)new JsonObject
                    { ["fileId"] = a.FileId, ["name"] = a.Name, ["sha256"] = a.Sha256, ["bytes"] = a.Bytes }).ToArray()) }, caller.Person), aborted);
            return TypedResults.Created($"/api/v1/plans/{plan.Id}/reports/{Uri.EscapeDataString(reportId)}/evidence", answers);
        }
        finally
        {
            // Every spool file is deleted here, on every path: accepted, refused, or thrown (a client that went away mid-body).
            foreach (var upload in uploads) await upload.Spool.DisposeAsync();
            foreach (var spool in spooled) await spool.DisposeAsync();
        }
    }

    private static async Task<Results<Ok<EvidenceFileAnswer[]>, ProblemHttpResult>> List(PlanRoute route, string reportId, EvidenceReports reports,
        IEvidenceStore store, HttpContext context)
    {
        if (await reports.Find(route.Id, reportId) is null) return ReportNotFound(reportId);
        var files = await store.List(route.Id, reportId, context.RequestAborted);
        return TypedResults.Ok(files.Select(EvidenceFileAnswer.Of).ToArray());
    }

    private static async Task<IResult> Download(PlanRoute route, string reportId, string fileId, EvidenceReports reports, IEvidenceStore store, HttpContext context)
    {
        if (await Find(route.Id, reportId, fileId, reports, store, context.RequestAborted) is not { } file) return FileNotFound(reportId, fileId);
        if (await store.OpenContent(file.Sha256, context.RequestAborted) is not { } content) return FileNotFound(reportId, fileId);
        var inline = file.ContentType is "image/jpeg" or "image/png";
        return Serve(context, content, file.ContentType, file.Sha256, EvidenceFileName.ContentDisposition(file.Name, inline), file.Bytes);
    }

    private static async Task<IResult> Thumbnail(PlanRoute route, string reportId, string fileId, EvidenceReports reports, IEvidenceStore store, HttpContext context)
    {
        if (await Find(route.Id, reportId, fileId, reports, store, context.RequestAborted) is not { } file) return FileNotFound(reportId, fileId);
        if (await store.OpenThumbnail(file.Sha256, context.RequestAborted) is not { } thumbnail)
            return Problems.NotFound("fileId", $"文件“{file.Name}”不是图片，没有缩略图");
        var name = Path.GetFileNameWithoutExtension(file.Name) + "-thumbnail.jpg";
        return Serve(context, thumbnail, "image/jpeg", file.Sha256 + "-thumbnail", EvidenceFileName.ContentDisposition(name, inline: true), null);
    }

    private static async Task<EvidenceFile?> Find(string planId, string reportId, string fileId, EvidenceReports reports, IEvidenceStore store, CancellationToken cancellationToken) =>
        await reports.Find(planId, reportId) is null ? null : await store.Find(planId, reportId, fileId, cancellationToken);

    /// <summary>
    /// A stored file: its own type, never sniffed (<c>nosniff</c>); <c>Content-Security-Policy: sandbox</c>, so even a
    /// file opened directly runs nothing and reaches no origin; cached by this browser only, revalidated by ETag.
    /// </summary>
    private static IResult Serve(HttpContext context, Stream content, string contentType, string etag, string disposition, long? length)
    {
        var headers = context.Response.Headers;
        headers.ContentDisposition = disposition;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        headers.CacheControl = "private, no-cache";
        if (length is { } bytes) context.Response.ContentLength = bytes;
        return TypedResults.Stream(content, contentType, entityTag: new EntityTagHeaderValue($"\"{etag}\""));
    }

    private static ProblemHttpResult ReportNotFound(string reportId) =>
        Problems.NotFound("reportId", $"本计划没有上报 {Minsheng.Domain.Limits.TextRules.Escape(reportId)}");

    private static ProblemHttpResult FileNotFound(string reportId, string fileId) =>
        Problems.NotFound("fileId", $"上报 {Minsheng.Domain.Limits.TextRules.Escape(reportId)} 没有佐证材料 {Minsheng.Domain.Limits.TextRules.Escape(fileId)}");

    /// <summary>The files of a refused upload, named as the problem's reason names them: 文件“a.jpg”、“b.pdf”.</summary>
    private static string Named(IReadOnlyList<NewEvidenceFile> files) =>
        "文件" + string.Join("、", files.Take(5).Select(f => $"“{f.Name}”")) + (files.Count > 5 ? " 等" : "");
}

/// <summary>An endpoint reads a multipart/form-data body of files under one field itself (for the OpenAPI document).</summary>
public sealed record MultipartFilesMetadata(string Field);
