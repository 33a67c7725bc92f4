using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Minsheng.Demo;

/// <summary>The host's own address, as its server listens on it, for the demo to call like any client.</summary>
public static class DemoAddress
{
    /// <summary>
    /// The first listening address, http before https, with a wildcard host (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>,
    /// <c>[::]</c>) replaced by the loopback address; null when the server has no address (an in-process test server).
    /// </summary>
    public static Uri? Of(IServer server) => Pick(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

    /// <summary>Picks from listening addresses as <see cref="Of"/> does.</summary>
    public static Uri? Pick(IEnumerable<string> addresses)
    {
        var uris = new List<Uri>();
        foreach (var address in addresses)
        {
            var text = address.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal)
                .Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal)
                .Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal)
                .Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal);
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                uris.Add(new Uri(uri.GetLeftPart(UriPartial.Authority)));
        }
        return uris.OrderBy(u => u.Scheme == Uri.UriSchemeHttp ? 0 : 1).FirstOrDefault();
    }
}
