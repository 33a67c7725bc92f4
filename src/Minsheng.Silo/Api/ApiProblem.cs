using System.Text.Json.Serialization;

namespace Minsheng.Silo.Api;

/// <summary>
/// The shape of every error answer (<c>application/problem+json</c>), as the OpenAPI document describes it: RFC 7807
/// fields plus <c>field</c> (the field, header or path at fault) and <c>reason</c> (why, in Chinese). Never
/// serialized by the service itself (<see cref="Problems"/> writes <see cref="Microsoft.AspNetCore.Mvc.ProblemDetails"/>);
/// it exists so the document and the answers can be checked against each other.
/// </summary>
public sealed class ApiProblem
{
    /// <summary>A URI naming the status, e.g. <c>https://httpstatuses.io/404</c>.</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }

    /// <summary>The status in Chinese words, e.g. 未找到.</summary>
    [JsonPropertyName("title")] public required string Title { get; init; }

    /// <summary>The HTTP status.</summary>
    [JsonPropertyName("status")] public required int Status { get; init; }

    /// <summary>字段 {field}：{reason}.</summary>
    [JsonPropertyName("detail")] public required string Detail { get; init; }

    /// <summary>The field, header or path at fault (<c>body</c> for the body as a whole).</summary>
    [JsonPropertyName("field")] public required string Field { get; init; }

    /// <summary>Why, in Chinese.</summary>
    [JsonPropertyName("reason")] public required string Reason { get; init; }

    /// <summary>The request's trace id, to quote when asking an operator.</summary>
    [JsonPropertyName("traceId")] public string? TraceId { get; init; }
}

/// <summary>Declares problem answers on endpoints, so each operation in the document lists the ones it can give.</summary>
public static class ApiProblemMetadata
{
    /// <summary>The problem statuses any endpoint that needs a token can answer: no or bad token, a role naming no unit, too many requests.</summary>
    public static readonly int[] Guarded = [401, 403, 429];

    /// <summary>Adds <c>application/problem+json</c> answers of <see cref="ApiProblem"/> for each status.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ApiProblem), ["application/problem+json"]));
        return builder;
    }

    /// <summary>
    /// The body a write reads with <see cref="JsonBody"/>, and the problems reading it can give (400, 413, 415). Not
    /// <c>Accepts&lt;T&gt;</c>: that metadata also makes routing refuse other content types with a bare 415 before
    /// authentication and the handler's own Chinese problem; <see cref="OpenApi.RequestBodies"/> describes the body instead.
    /// </summary>
    public static RouteHandlerBuilder ReadsJson<TBody>(this RouteHandlerBuilder builder) where TBody : class =>
        builder.WithMetadata(new JsonBodyMetadata(typeof(TBody))).ProducesProblems(400, 413, 415);
}

/// <summary>The type of the JSON body an endpoint reads itself (<see cref="JsonBody"/>), for the OpenAPI document.</summary>
public sealed record JsonBodyMetadata(Type BodyType);
