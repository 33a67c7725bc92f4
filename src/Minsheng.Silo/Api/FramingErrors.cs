using Microsoft.AspNetCore.Diagnostics;

namespace Minsheng.Silo.Api;

/// <summary>
/// HTTP framing the server cannot read (a body shorter than its Content-Length, a chunk size that overflows) surfaces
/// as <see cref="BadHttpRequestException"/> wherever the body is read. It is the client's error: a 400 problem (413
/// for a body too large), not a 500 with a stack trace in the log. Handled here, the exception is not logged as an error.
/// </summary>
public sealed class FramingErrors(ILogger<FramingErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted) return false;
        logger.LogInformation("Unreadable request framing on {Path}: {Message}", context.Request.Path.Value, bad.Message);
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            await Problems.Write(context, 413, Problems.TitleOf(413), "body", $"请求体不能超过 {JsonBody.MaxBytes / 1024} KB");
        else
            await Problems.Result(400, "body", "请求体不完整或分块格式错误（与 Content-Length 或 chunked 编码不符）").ExecuteAsync(context);
        return true;
    }
}
