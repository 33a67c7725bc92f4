namespace Minsheng.Silo.Api;

/// <summary>Response headers that keep browsers from misusing answers, and CORS for configured dashboards only.</summary>
public static class SecurityHeaders
{
    public const string CorsPolicy = "dashboards";

    /// <summary>Allows cross-origin reads only from <c>Minsheng:Cors:Origins</c> (none by default).</summary>
    public static WebApplicationBuilder AddMinshengCors(this WebApplicationBuilder builder)
    {
        var origins = builder.Configuration.GetSection("Minsheng:Cors:Origins").Get<string[]>() ?? [];
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            if (origins.Length > 0)
                policy.WithOrigins(origins).WithMethods("GET", "POST", "PUT").WithHeaders("Authorization", "Content-Type");
        }));
        return builder;
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
            return next(context);
        });
        app.UseCors(CorsPolicy);
        return app;
    }
}
