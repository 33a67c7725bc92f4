using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Minsheng.Silo.Api;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// Describes the JSON body of each endpoint that reads one with <see cref="JsonBody"/> (named by
/// <see cref="JsonBodyMetadata"/>), as a schema in <c>components</c> like any other.
/// </summary>
public sealed class RequestBodies : IOpenApiOperationTransformer
{
    /// <inheritdoc />
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBodyMetadata>().FirstOrDefault() is not { } body) return;
        var name = body.BodyType.Name;
        context.Document!.AddComponent(name, await context.GetOrCreateSchemaAsync(body.BodyType, null, cancellationToken));
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "JSON 请求体（未知字段、重复字段、类型不符都会被拒绝并指出字段）",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(name, context.Document) },
            },
        };
    }
}
