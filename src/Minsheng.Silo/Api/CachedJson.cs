using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Minsheng.Silo.Api;

/// <summary>
/// A 200 answer whose JSON is written once per value: a rollup view held by <see cref="RollupCache"/> for its revision is
/// served to every reader of that revision as the same bytes, instead of being serialized for each (a view with its
/// forecasts is several kilobytes). Described in the OpenAPI document as <c>Ok&lt;T&gt;</c> is.
/// </summary>
public sealed class CachedJson<T>(T value) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>,
    IContentTypeHttpResult where T : class
{
    // Keyed by the value itself: bytes live as long as the view they were written from, no longer.
    private static readonly ConditionalWeakTable<T, byte[]> Written = [];

    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var bytes = Written.GetValue(value, v => JsonSerializer.SerializeToUtf8Bytes(v,
            httpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.ContentLength = bytes.Length;
        return httpContext.Response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
