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
            response.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "多少秒后可以重试",
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            };
        }
        return Task.CompletedTask;
    }
}
