using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Minsheng.Silo.Api;
using Scalar.AspNetCore;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document (<c>/openapi/v1.json</c>) built by Microsoft.AspNetCore.OpenApi from the endpoints' typed
/// results and metadata, once per process (<see cref="OpenApiDocumentCache"/>), and its interactive reference (Scalar)
/// at <c>/docs</c>. Both need no token: the contract is public, the data behind it is not.
/// </summary>
public static class OpenApiSetup
{
    /// <summary>The document's name, and so its path: <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";

    /// <summary>Where the document is served.</summary>
    public const string DocumentPath = "/openapi/" + DocumentName + ".json";

    /// <summary>Where the interactive reference is served.</summary>
    public const string DocsPath = "/docs";

    /// <summary>Registers the document with its bearer scheme, Chinese info, per-operation security and the facts the types cannot say.</summary>
    public static WebApplicationBuilder AddMinshengOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OpenApiDocumentCache>();
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            // A fixed-value enum is stated inline where it is used (as its values always were), not as a shared schema.
            options.CreateSchemaReferenceId = type => WireSchemas.EnumOf(type.Type) is not null ? null : Microsoft.AspNetCore.OpenApi.OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddDocumentTransformer<DocumentInfo>();
            options.AddDocumentTransformer<PublicPages>();
            options.AddDocumentTransformer<TagDescriptions>();
            options.AddSchemaTransformer<WireSchemas>();
            options.AddOperationTransformer<BearerSecurity>();
            options.AddOperationTransformer<OperationDetails>();
            options.AddOperationTransformer<ParameterFacts>();
            options.AddOperationTransformer<RequestBodies>();
            options.AddOperationTransformer<ResponseHeaders>();
        });
        return builder;
    }

    /// <summary>Maps <c>/openapi/v1.json</c> (built once, with an ETag) and <c>/docs</c>, both anonymous.</summary>
    public static WebApplication MapMinshengOpenApi(this WebApplication app)
    {
        app.MapGet(DocumentPath, ServeDocument).AllowAnonymous().WithTags("OpenAPI").WithName("GetOpenApiDocument")
            .WithSummary("本 OpenAPI 3.1 文档（JSON，无需令牌）。带 ETag；If-None-Match 与之相同时回答 304。")
            .Produces(200).Produces(304).ProducesProblems(429)
            .AddOpenApiOperationTransformer(DescribeDocumentOperation);
        app.MapScalarApiReference(DocsPath, options => options
                .WithTitle("民生实事进度服务 API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument(DocumentName)
                .DisableDefaultFonts()
                .AddPreferredSecuritySchemes(BearerSecurity.SchemeName))
            .AllowAnonymous()
            .AddEndpointFilter(DocsContentSecurity.Filter);
        return app;
    }

    private static async Task<IResult> ServeDocument(HttpContext context, OpenApiDocumentCache cache)
    {
        var document = await cache.Get();
        context.Response.Headers.ETag = document.ETag;
        // Revalidate every time: a new deployment serves a new document under the same address.
        context.Response.Headers.CacheControl = "no-cache";
        if (Matches(context.Request.Headers.IfNoneMatch, document.ETag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(document.Bytes, "application/json; charset=utf-8");
    }

    /// <summary>Whether an If-None-Match header names the entity tag (or is <c>*</c>); weak tags compare by their value.</summary>
    internal static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)) return false;
        var current = EntityTagHeaderValue.Parse(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    private static Task DescribeDocumentOperation(OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-None-Match",
            In = ParameterLocation.Header,
            Description = "上次取得的 ETag；文档未变时回答 304，无正文",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        var etag = new OpenApiHeader { Description = "文档的实体标签", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        if (operation.Responses?["200"] is OpenApiResponse ok)
        {
            ok.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "OpenAPI 3.1 文档" } },
            };
            ok.Headers = new Dictionary<string, IOpenApiHeader> { ["ETag"] = etag };
        }
        if (operation.Responses?["304"] is OpenApiResponse notModified)
            notModified.Headers = new Dictionary<string, IOpenApiHeader> { ["ETag"] = etag };
        return Task.CompletedTask;
    }
}
