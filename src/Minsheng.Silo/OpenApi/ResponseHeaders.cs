using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Minsheng.Silo.OpenApi;

/// <summary>Every 429 answer carries <c>Retry-After</c> (whole seconds), as the rate limiter and the event stream send it.</summary>
public sealed class ResponseHeaders : IOpenApiOperationTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.TryGetValue("429", out var tooMany) is true && tooMany is OpenApiResponse response)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Retry-After"] = RetryAfter();
        }
        return Task.CompletedTask;
    }

    /// <summary>The <c>Retry-After</c> header of a 429: whole seconds, at least 1.</summary>
    public static OpenApiHeader RetryAfter() => new()
    {
        Description = "多少秒后可以重试",
        Required = true,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
    };

    /// <summary>
    /// The 429 of an operation the framework does not describe (the page): a problem, with <see cref="RetryAfter"/>,
    /// as the rate limiter answers it.
    /// </summary>
    public static OpenApiResponse TooManyRequests(OpenApiDocument document) => new()
    {
        Description = Api.Problems.TitleOf(StatusCodes.Status429TooManyRequests),
        Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = RetryAfter() },
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(Api.ApiProblem), document) },
        },
    };
}
