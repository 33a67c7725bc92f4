using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Minsheng.Silo.OpenApi;

/// <summary>The document's title and description in Chinese, and the bearer scheme every protected operation names.</summary>
public sealed class DocumentInfo : IOpenApiDocumentTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "民生实事进度服务 API",
            Version = "v1",
            Description = "各部门、街道上报民生实事进度，查询汇总、督办与考评。除健康检查与本文档外，所有接口都需要 Bearer 访问令牌（JWT，"
                + "role 声明为 office、viewer、department:{单位} 或 street:{街道}）。错误统一为 application/problem+json，"
                + "以 field 指出出错的字段、reason 说明原因。",
        };
        // Served from whatever host the caller reached: no absolute server address baked into the committed document.
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerSecurity.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "访问令牌：Authorization: Bearer {JWT}",
        };
        return Task.CompletedTask;
    }
}
