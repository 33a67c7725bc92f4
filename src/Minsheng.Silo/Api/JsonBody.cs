using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Minsheng.Silo.Api;

/// <summary>
/// Reads a JSON request body strictly (unknown fields refused, types checked) and turns every failure into a
/// problem that names the field, instead of the framework's generic 400. Endpoints declare the body for the OpenAPI
/// document with <see cref="ApiProblemMetadata.ReadsJson{TBody}"/>.
/// </summary>
public static class JsonBody
{
    /// <summary>The largest body any endpoint reads.</summary>
    public const long MaxBytes = 64 * 1024;

    /// <summary>The answer to a request body whose HTTP framing could not be read.</summary>
    public static ProblemHttpResult FramingProblem() => Problems.Result(400, "body", "请求体不完整或分块格式错误（与 Content-Length 或 chunked 编码不符）");

    /// <summary>The body as <typeparamref name="T"/>, or the problem that refuses it.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> Read<T>(HttpRequest request) where T : class
    {
        if (request.ContentLength is > MaxBytes) return (null, TooLarge());
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !string.Equals(type.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Result(415, "Content-Type", "请求体必须是 application/json"));

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var checkedText = BodyText.Options(options);
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return (null, TooLarge());
        }
        catch (Exception e) when (e is BadHttpRequestException || (e is IOException && !request.HttpContext.RequestAborted.IsCancellationRequested))
        {
            // Framing the server could not read: a body shorter than its Content-Length, a malformed chunk. The
            // client's fault, answered as such; nothing was read, so nothing was recorded.
            return (null, FramingProblem());
        }
        if (buffer.Length > MaxBytes) return (null, TooLarge());
        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);

        T? value;
        try
        {
            // One pass: the serializer reads the body and BodyText's converters refuse a forbidden character as they
            // read each string.
            value = JsonSerializer.Deserialize<T>(json.Span, checkedText);
        }
        catch (ForbiddenTextException e)
        {
            return (null, ForbiddenText(e, json.Span, typeof(T), options));
        }
        catch (JsonException e)
        {
            return (null, Refusal(e, json.Span, typeof(T), options));
        }
        if (value is null) return (null, Problems.Result(400, "body", "请求体不能为空"));
        return (value, null);
    }

    /// <summary>
    /// A string holds a character text may not. The body's other faults come first, wherever they are (an unknown or
    /// repeated field, a wrong type, text that is not JSON), as they did when the characters were checked after the
    /// body had been read: so the body is read once more, without the checks, on this refusal path only.
    /// </summary>
    private static ProblemHttpResult ForbiddenText(ForbiddenTextException e, ReadOnlySpan<byte> json, Type type, JsonSerializerOptions options)
    {
        try
        {
            JsonSerializer.Deserialize(json, type, options);
        }
        catch (JsonException other)
        {
            return Refusal(other, json, type, options);
        }
        return Problems.Result(400, FieldOf(e.Path) ?? "body", e.Reason);
    }

    /// <summary>A serializer path (<c>$.evidence[1]</c>) as problems name fields (<c>evidence[1]</c>); null for the body itself.</summary>
    private static string? FieldOf(string? path) => string.IsNullOrEmpty(path) || path == "$" ? null : path.TrimStart('$', '.');

    /// <summary>
    /// Names what the serializer refused. The shape pass finds the first unknown or repeated property; when it lies
    /// at or before where the serializer stopped, that is what stopped it. Otherwise the serializer's
    /// <see cref="JsonException.Path"/> names the field whose value has the wrong type, or the body when the text is
    /// not JSON (or not an object) at all.
    /// </summary>
    private static ProblemHttpResult Refusal(JsonException e, ReadOnlySpan<byte> json, Type type, JsonSerializerOptions options)
    {
        var path = FieldOf(e.Path);
        if (JsonBodyShape.First(json, type, options) is { } finding
            && finding.Offset <= JsonBodyShape.OffsetOf(json, e.LineNumber, e.BytePositionInLine))
        {
            return finding.Fault == JsonBodyShape.Fault.UnknownProperty
                ? Problems.Result(400, BodyText.Readable(finding.Name), "不允许的未知字段")
                : Problems.Result(400, path ?? "body", "字段重复出现");
        }
        return Problems.Result(400, path ?? "body", path is null ? "不是合法的 JSON" : "类型或取值不正确");
    }

    private static ProblemHttpResult TooLarge() => Problems.Result(413, "body", $"请求体不能超过 {MaxBytes / 1024} KB");
}
