using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Minsheng.Silo.OpenApi;

/// <summary>The document's title and description in Chinese, its server, and the bearer scheme every protected operation names.</summary>
public sealed class DocumentInfo : IOpenApiDocumentTransformer
{
    /// <summary>The document's one server: where the host listens by default.</summary>
    public const string DevelopmentServer = "http://localhost:5080";

    /// <inheritdoc />
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "民生实事进度服务 API",
            Version = "v1",
            Description = "各部门、街道上报民生实事进度，查询汇总、督办与考评。除健康检查与本文档外，所有接口都需要 Bearer 访问令牌（JWT，"
                + "role 声明为 office、viewer、department:{单位}、street:{街道}、region-viewer:{地区} 或 region-office:{地区}；"
                + "单位角色另带 district 声明，只在本区县的计划中有效；地区角色只在本地区的计划中有效）。错误统一为 application/problem+json，"
                + "以 field 指出出错的字段、reason 说明原因。",
        };
        // Generated clients need a base URL: the address `dotnet run` listens on. A deployment serves the same paths under
        // its own address, which the description says to put in its place.
        document.Servers = [new OpenApiServer { Url = DevelopmentServer, Description = "本机开发默认地址（dotnet run）；部署后请换成服务的实际地址" }];
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
