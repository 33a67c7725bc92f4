using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Minsheng.Silo.Api;

/// <summary>
/// The reverse proxy in front of the silos (<c>Minsheng:Proxy</c>): the addresses whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> this silo believes. Empty (the default) trusts nobody, so a client cannot choose its own
/// address; a request from a listed proxy is seen as coming from the client the proxy names (rate limits, request telemetry).
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Minsheng:Proxy";

    /// <summary>The proxies' own IP addresses (e.g. nginx's fixed address on the compose network).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies in CIDR notation (e.g. the ingress controller's pod network on Kubernetes).</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>The rules of <see cref="ProxyOptions"/>: every entry is an IP address, or a network in CIDR notation.</summary>
public sealed class ProxyOptionsRules : IValidateOptions<ProxyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProxyOptions options) => ValidatedOptions.Result(
        options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"{ProxyOptions.Section}:KnownProxies must list IP addresses such as 172.28.0.10, not '{p}'")
            .Concat(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
                .Select(n => $"{ProxyOptions.Section}:KnownNetworks must list networks such as 10.244.0.0/16, not '{n}'")));
}

/// <summary>The forwarded client address and scheme, believed only from the configured proxies.</summary>
public static class ForwardedHeadersSetup
{
    /// <summary>Binds <see cref="ProxyOptions"/> and configures ASP.NET Core's forwarded headers with exactly those proxies.</summary>
    public static WebApplicationBuilder AddMinshengForwardedHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ProxyOptions, ProxyOptionsRules>(ProxyOptions.Section);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) => Apply(forwarded, proxy.Value));
        return builder;
    }

    /// <summary>
    /// X-Forwarded-For and -Proto from the listed proxies only, one hop (the proxy is the edge and overwrites the header).
    /// The framework's defaults (loopback) are cleared; with nothing listed no header is read at all, since the
    /// middleware with both lists empty would believe every sender.
    /// </summary>
    public static void Apply(ForwardedHeadersOptions forwarded, ProxyOptions proxy)
    {
        forwarded.ForwardedHeaders = proxy.KnownProxies.Count + proxy.KnownNetworks.Count == 0
            ? ForwardedHeaders.None
            : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.ForwardLimit = 1;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var address in proxy.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(address));
        foreach (var network in proxy.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
    }
}
