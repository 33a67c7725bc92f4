using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// Marks every operation that needs a token with the bearer scheme; anonymous ones (health, the document, the page)
/// say <c>security: []</c>, so a generated client sends no token there and a reader sees they are public.
/// </summary>
public sealed class BearerSecurity : IOpenApiOperationTransformer
{
    /// <summary>The scheme's key in <c>components.securitySchemes</c>.</summary>
    public const string SchemeName = "Bearer";

    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Security = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any()
            ? []
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }];
        return Task.CompletedTask;
    }
}
