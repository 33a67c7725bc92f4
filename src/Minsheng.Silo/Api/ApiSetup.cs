using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.Api;

/// <summary>Cross-cutting HTTP concerns: JSON settings, problem details, error handling, auth middleware.</summary>
public static class ApiSetup
{
    /// <summary>Configures JSON (camelCase, strict, readable Chinese) and RFC 7807 errors without internals.</summary>
    public static WebApplicationBuilder AddMinshengApi(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<FramingErrors>();
        builder.Services.AddSingleton<RollupReader>();
        builder.Services.AddSingleton<ForecastCache>();
        var rollupCapacity = builder.Configuration.GetValue(RollupCache.CapacitySetting, RollupCache.DefaultCapacity);
        if (rollupCapacity < 1)
            throw new InvalidOperationException($"{RollupCache.CapacitySetting} must be at least 1, not {rollupCapacity}");
        builder.Services.AddSingleton(new RollupCache(rollupCapacity));
        builder.Services.AddValidatedOptions<ExportLimitOptions, ExportLimitOptionsRules>(ExportLimitOptions.Section);
        builder.Services.AddValidatedOptions<TestingOptions>(TestingOptions.Section);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExportLimitOptions>>().Value);
        builder.Services.AddSingleton<ExportGate>();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.AddMinshengForwardedHeaders();
        builder.AddMinshengRateLimits();
        builder.AddMinshengCors();
        return builder;
    }

    /// <summary>Adds the middleware: the client's address from the trusted proxy, the metrics port's split, errors as problems (never a stack trace), authentication, rate limits, the page's static files, then authorization.</summary>
    public static WebApplication UseMinshengApi(this WebApplication app)
    {
        // First: everything after it (rate limits, request telemetry) sees the client's address, not the proxy's.
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseMetricsPort();
        app.UseExceptionHandler(error => error.Run(context =>
            Problems.Write(context, 500, Problems.TitleOf(500), "-", "服务暂时无法完成请求，请稍后重试")));
        app.UseStatusCodePages(context =>
            context.HttpContext.Response.HasStarted || context.HttpContext.Response.ContentLength is > 0
                ? Task.CompletedTask
                : Problems.Write(context.HttpContext, context.HttpContext.Response.StatusCode,
                    Problems.TitleOf(context.HttpContext.Response.StatusCode), "path", StatusReason(context.HttpContext.Response.StatusCode)));
        // Authentication decides whose budget a request spends; the limiter comes before the page's files, so
        // anonymous traffic (files, the API document, refused tokens) stays inside its own budget.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseBattleMapPage();
        app.UseAuthorization();
        return app;
    }

    private static string StatusReason(int status) => status switch
    {
        404 => "请求的资源不存在",
        405 => "此地址不支持该请求方法",
        _ => "请求无法处理",
    };
}
