using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Minsheng.Silo.Api;

/// <summary>
/// Reads a JSON request body strictly (unknown fields refused, types checked) and turns every failure into a
/// problem that names the field, instead of the framework's generic 400.
/// </summary>
public static class JsonBody
{
    public const long MaxBytes = 64 * 1024;

    /// <summary>The answer to a request body whose HTTP framing could not be read.</summary>
    public static IResult FramingProblem() => Problems.Result(400, "body", "请求体不完整或分块格式错误（与 Content-Length 或 chunked 编码不符）");

    public static async Task<(T? Value, IResult? Problem)> Read<T>(HttpRequest request) where T : class
    {
        if (request.ContentLength is > MaxBytes)
            return (null, Problems.Result(413, "body", $"请求体不能超过 {MaxBytes / 1024} KB"));
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !string.Equals(type.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Result(415, "Content-Type", "请求体必须是 application/json"));

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            using var limited = new MemoryStream();
            await request.Body.CopyToAsync(limited, request.HttpContext.RequestAborted);
            if (limited.Length > MaxBytes)
                return (null, Problems.Result(413, "body", $"请求体不能超过 {MaxBytes / 1024} KB"));
            limited.Position = 0;
            var value = await JsonSerializer.DeserializeAsync<T>(limited, options, request.HttpContext.RequestAborted);
            if (value is null) return (null, Problems.Result(400, "body", "请求体不能为空"));
            if (JsonTextScan.FindForbidden(limited.GetBuffer().AsSpan(0, (int)limited.Length)) is var (field, reason))
                return (null, Problems.Result(400, field, reason));
            return (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            var reason = e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "不允许的未知字段"
                : e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? "字段重复出现"
                : e.Path is null or "$" ? "不是合法的 JSON"
                : "类型或取值不正确";
            if (e.Message.Contains("could not be mapped", StringComparison.Ordinal) && e.Message.Split('\'') is { Length: > 2 } parts)
                field = JsonTextScan.Readable(parts[1]);
            return (null, Problems.Result(400, field, reason));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return (null, Problems.Result(413, "body", $"请求体不能超过 {MaxBytes / 1024} KB"));
        }
        catch (Exception e) when (e is BadHttpRequestException || (e is IOException && !request.HttpContext.RequestAborted.IsCancellationRequested))
        {
            // Framing the server could not read: a body shorter than its Content-Length, a malformed chunk. The
            // client's fault, answered as such; nothing was read, so nothing was recorded.
            return (null, FramingProblem());
        }
    }
}
