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
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Evidence.MultipartFilesMetadata>().FirstOrDefault() is { } files)
        {
            operation.RequestBody = Multipart(files.Field);
            return;
        }
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

    /// <summary>A <c>multipart/form-data</c> body of one or more binary files under <paramref name="field"/>.</summary>
    private static OpenApiRequestBody Multipart(string field) => new()
    {
        Required = true,
        Description = "multipart/form-data：每个文件是字段 " + field + " 的一个部分（带 filename）；类型按内容判断，不看文件名或部分的 Content-Type",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["multipart/form-data"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { field },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        [field] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Array,
                            MinItems = 1,
                            Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                        },
                    },
                },
            },
        },
    };
}
