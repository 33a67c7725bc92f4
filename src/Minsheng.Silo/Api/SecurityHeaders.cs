using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.Api;

/// <summary>Response headers that keep browsers from misusing answers, and CORS for configured dashboards only.</summary>
public static class SecurityHeaders
{
    public const string CorsPolicy = "dashboards";

    /// <summary>
    /// Everything from this origin only. Images may also come from <c>blob:</c> URLs: evidence photos and their
    /// thumbnails need the bearer token, so the page fetches them and shows them through object URLs it made itself.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'";

    /// <summary>Allows cross-origin reads only from <c>Minsheng:Cors:Origins</c> (none by default).</summary>
    public static WebApplicationBuilder AddMinshengCors(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CorsOriginOptions, CorsOriginOptionsRules>(CorsOriginOptions.Section);
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>()
            .Configure<IOptions<CorsOriginOptions>>((cors, configured) => cors.AddPolicy(CorsPolicy, policy =>
            {
                if (configured.Value.Origins.Length > 0)
                    policy.WithOrigins(configured.Value.Origins).WithMethods("GET", "POST", "PUT").WithHeaders("Authorization", "Content-Type");
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
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        app.UseCors(CorsPolicy);
        return app;
    }
}

/// <summary>The dashboards allowed to call the API from a browser (<c>Minsheng:Cors</c>).</summary>
public sealed class CorsOriginOptions
{
    public const string Section = "Minsheng:Cors";

    /// <summary>Origins (<c>https://dashboard.example</c>) allowed cross-origin reads and writes; none by default.</summary>
    public string[] Origins { get; set; } = [];
}

/// <summary>The rules of <see cref="CorsOriginOptions"/>.</summary>
public sealed class CorsOriginOptionsRules : IValidateOptions<CorsOriginOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CorsOriginOptions options) =>
        // An origin is scheme, host and port: a path, a wildcard or a typo would silently match nothing (or, for "*",
        // everything), so it is refused at start instead.
        ValidatedOptions.Result(options.Origins
            .Select((origin, i) => (origin, i))
            .Where(x => !Uri.TryCreate(x.origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || x.origin.EndsWith('/'))
            .Select(x => $"{CorsOriginOptions.Section}:Origins:{x.i} must be an origin such as https://dashboard.example, not '{x.origin}'"));
}
