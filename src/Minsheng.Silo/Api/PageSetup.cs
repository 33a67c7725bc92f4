namespace Minsheng.Silo.Api;

/// <summary>
/// The battle-map page (挂图作战) and its assets from <c>wwwroot/</c>: static, served without a token (the page asks
/// for one and sends it with every API call it makes), under the same security headers as the API.
/// </summary>
public static class PageSetup
{
    /// <summary>Serves <c>/</c> as <c>index.html</c> and the page's files; must run before authorization.</summary>
    public static WebApplication UseBattleMapPage(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            // The page changes with the service: browsers revalidate rather than run a stale module against a new API.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
