using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Minsheng.Domain.Progress;

namespace Minsheng.Silo.Api;

/// <summary>RFC 7807 problem details in Chinese, each naming the field at fault and the reason.</summary>
public static class Problems
{
    /// <summary>The Chinese title of every status the service answers; an unlisted one gets its class's title.</summary>
    public static string TitleOf(int status) => status switch
    {
        400 => "请求无效",
        401 => "未认证",
        403 => "无权操作",
        404 => "未找到",
        405 => "方法不被允许",
        406 => "无法提供所请求的格式",
        408 => "请求超时",
        409 => "冲突",
        411 => "缺少 Content-Length",
        413 => "请求体过大",
        414 => "请求地址过长",
        415 => "不支持的内容类型",
        422 => "无法处理的请求",
        429 => "请求过于频繁",
        431 => "请求头过大",
        500 => "服务器内部错误",
        502 => "上游服务错误",
        503 => "服务暂不可用",
        504 => "上游服务超时",
        >= 400 and < 500 => "请求错误",
        _ => "服务器错误",
    };

    /// <summary>A problem whose detail reads 字段 {field}：{reason}, with <c>field</c> and <c>reason</c> as members of their own.</summary>
    public static ProblemDetails Create(int status, string field, string reason, string? title = null) => new()
    {
        Type = $"https://httpstatuses.io/{status}",
        Title = title ?? TitleOf(status),
        Status = status,
        Detail = $"字段 {field}：{reason}",
        Extensions = { ["field"] = field, ["reason"] = reason },
    };

    /// <summary>A problem answer from a handler or filter; written through <see cref="IProblemDetailsService"/>.</summary>
    public static ProblemHttpResult Result(int status, string field, string reason) =>
        TypedResults.Problem(Create(status, field, reason));

    /// <summary>The answer to a refusal of the domain rules.</summary>
    public static ProblemHttpResult Result(Refusal refusal) => Result(refusal.Status, refusal.Field, refusal.Reason);

    /// <summary>404 naming the field whose value names nothing.</summary>
    public static ProblemHttpResult NotFound(string field, string reason) => Result(404, field, reason);

    /// <summary>403 naming the field the caller may not act on.</summary>
    public static ProblemHttpResult Forbidden(string field, string reason) => Result(403, field, reason);

    /// <summary>
    /// Writes a problem outside an endpoint (authentication challenges, authorization, rate limits, status pages,
    /// the exception handler) through the same <see cref="IProblemDetailsService"/> as handlers' problems.
    /// </summary>
    public static async Task Write(HttpContext context, int status, string title, string field, string reason)
    {
        context.Response.StatusCode = status;
        var problem = Create(status, field, reason, title);
        // The service declines a client that accepts no JSON at all (Accept: text/html only): it still gets the problem.
        if (!await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                .TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
