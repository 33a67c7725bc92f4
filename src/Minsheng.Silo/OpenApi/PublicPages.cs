using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// The battle-map page (<c>GET /</c>) is served by the static-file middleware, not an endpoint, so the framework does
/// not describe it: this adds it, public like the health probes and the document itself (<c>security: []</c>). Its
/// files are served after the rate limiter, inside the anonymous budget, so it can answer 429 with Retry-After.
/// </summary>
public sealed class PublicPages : IOpenApiDocumentTransformer
{
    /// <summary>The page's path.</summary>
    public const string PagePath = "/";

    /// <inheritdoc />
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        document.Paths[PagePath] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "GetBattleMapPage",
                    Summary = "挂图作战页面（HTML，无需令牌；页面调用接口时携带用户输入的令牌）。",
                    Tags = new HashSet<OpenApiTagReference> { new("Page", document) },
                    Security = [],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "成功",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["text/html"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                            },
                        },
                        ["429"] = ResponseHeaders.TooManyRequests(document),
                    },
                },
            },
        };
        document.Tags ??= new HashSet<OpenApiTag>();
        if (!document.Tags.Any(t => t.Name == "Page")) document.Tags.Add(new OpenApiTag { Name = "Page" });
        return Task.CompletedTask;
    }
}
