using Microsoft.AspNetCore.Mvc;
using Minsheng.Domain.Progress;

namespace Minsheng.Silo.Api;

/// <summary>RFC 7807 problem details in Chinese, each naming the field at fault and the reason.</summary>
public static class Problems
{
    public static string TitleOf(int status) => status switch
    {
        400 => "请求无效",
        401 => "未认证",
        403 => "无权操作",
        404 => "未找到",
        409 => "冲突",
        413 => "请求体过大",
        415 => "不支持的内容类型",
        422 => "无法处理的请求",
        429 => "请求过于频繁",
        _ => "服务器内部错误",
    };

    public static ProblemDetails Create(int status, string field, string reason, string? title = null) => new()
    {
        Type = $"https://httpstatuses.io/{status}",
        Title = title ?? TitleOf(status),
        Status = status,
        Detail = $"字段 {field}：{reason}",
        Extensions = { ["field"] = field, ["reason"] = reason },
    };

    public static IResult Result(int status, string field, string reason) =>
        TypedResults.Problem(Create(status, field, reason));

    public static IResult Result(Refusal refusal) => Result(refusal.Status, refusal.Field, refusal.Reason);

    public static IResult NotFound(string field, string reason) => Result(404, field, reason);

    public static IResult Forbidden(string field, string reason) => Result(403, field, reason);

    /// <summary>Writes a problem outside an endpoint (authentication challenges, middleware).</summary>
    public static Task Write(HttpContext context, int status, string title, string field, string reason)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(Create(status, field, reason, title), (System.Text.Json.JsonSerializerOptions?)null,
            "application/problem+json");
    }
}
