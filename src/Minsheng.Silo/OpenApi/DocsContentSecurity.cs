namespace Minsheng.Silo.OpenApi;

/// <summary>
/// The one place the host's Content-Security-Policy is relaxed. Scalar's page is served by the host (its script is
/// bundled in the package and served from <c>/docs/</c>, fonts disabled, so nothing comes from a CDN), but the page
/// starts the reference with an inline module script and styles itself inline: <c>/docs</c> alone allows
/// <c>'unsafe-inline'</c> scripts and styles. Everything else keeps <c>default-src 'self'</c>.
/// </summary>
public static class DocsContentSecurity
{
    /// <summary>The policy of the reference page and its assets.</summary>
    public const string Policy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    /// <summary>An endpoint filter that sets <see cref="Policy"/> before the security headers would set the strict one.</summary>
    public static ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.ContentSecurityPolicy = Policy;
        return next(context);
    }
}
