using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Minsheng.Silo.Auth;

/// <summary>
/// On the embedded default (in-memory storage) the host prints, once started, a sign-in link for a read-only viewer,
/// as Jupyter and the Aspire dashboard do, so the first command leads straight to the battle map. Never in PostgreSQL
/// mode: a real deployment hands out its tokens deliberately. The link carries a token, so it goes to the console
/// (standard output) only, never through the logging pipeline, which OTLP export would ship to a collector; the log
/// records only that a link was printed.
/// </summary>
public static class ViewerSignInLink
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Logs a viewer sign-in link at start when storage is Memory.</summary>
    public static WebApplicationBuilder AddViewerSignInLink(this WebApplicationBuilder builder)
    {
        if (MinshengOptions.ReadEarly(builder).Storage != StorageMode.Memory) return builder;
        var key = SigningKeys.Resolve(builder);
        builder.Services.AddHostedService(sp => new Announcer(key, sp.GetRequiredService<IServer>(),
            sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<Announcer>>(),
            sp.GetService<SignInLinkConsole>()?.Writer ?? Console.Out));
        return builder;
    }

    /// <summary>The link for a listen address: wildcard hosts become localhost so the line can be clicked.</summary>
    public static string LinkFor(string address, string token)
    {
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*") uri.Host = "localhost";
        uri.Path = "/";
        uri.Query = "token=" + Uri.EscapeDataString(token);
        return uri.Uri.AbsoluteUri;
    }

    /// <summary>Where the link is printed instead of standard output (tests register one to read it).</summary>
    public sealed record SignInLinkConsole(TextWriter Writer);

    private sealed class Announcer(byte[] key, IServer server, IHostApplicationLifetime lifetime, ILogger<Announcer> logger, TextWriter console)
        : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(Announce);
            return Task.CompletedTask;
        }

        private void Announce()
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
                .OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 1 : 0).FirstOrDefault();
            if (address is null) return;
            var token = TokenIssuer.Issue(key, "viewer", Lifetime, DateTimeOffset.UtcNow);
            console.WriteLine($"Battle map (挂图作战), signed in as viewer for {Lifetime.TotalHours:0} h: {LinkFor(address, token)}");
            console.Flush();
            logger.LogInformation("Printed a viewer sign-in link for {Address} to the console (valid {Hours} h; the token is not logged)",
                address, Lifetime.TotalHours);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
