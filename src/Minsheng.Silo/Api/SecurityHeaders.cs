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
        // Set as the answer starts, not as the request comes in: the exception handler clears the headers before it
        // writes a 500, and a header set at the start would be lost exactly on the answers that need it most.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                if (!headers.ContainsKey("Content-Security-Policy"))
                    headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        app.UseCors(CorsPolicy);
        return app;
    }
}
