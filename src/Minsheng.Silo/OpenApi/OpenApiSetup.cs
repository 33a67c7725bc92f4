using Scalar.AspNetCore;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document (<c>/openapi/v1.json</c>) built by Microsoft.AspNetCore.OpenApi from the endpoints' typed
/// results and metadata, and its interactive reference (Scalar) at <c>/docs</c>. Both need no token: the contract is
/// public, the data behind it is not.
/// </summary>
public static class OpenApiSetup
{
    /// <summary>The document's name, and so its path: <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";

    /// <summary>Where the interactive reference is served.</summary>
    public const string DocsPath = "/docs";

    /// <summary>Registers the document with its bearer scheme, Chinese info and per-operation security.</summary>
    public static WebApplicationBuilder AddMinshengOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer<DocumentInfo>();
            options.AddOperationTransformer<BearerSecurity>();
            options.AddOperationTransformer<OperationDetails>();
            options.AddOperationTransformer<RequestBodies>();
        });
        return builder;
    }

    /// <summary>Maps <c>/openapi/v1.json</c> and <c>/docs</c>, both anonymous.</summary>
    public static WebApplication MapMinshengOpenApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous().ExcludeFromDescription();
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
}
