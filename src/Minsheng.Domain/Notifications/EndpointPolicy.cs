using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Notifications;

/// <summary>
/// Where notifications may go. When a subscription is made its endpoint must be an absolute http or https URL without
/// user info whose host is on the allow-list: an exact host name or IP literal, or <c>*.suffix</c> for any name below
/// the suffix (not the suffix itself), compared without case. When a delivery connects, every address the host
/// resolves to is checked again (so a name that later resolves inside cannot aim the service at its own network): an
/// internal address (<see cref="IsInternal"/>) is refused unless the host is an IP literal the allow-list names
/// exactly (the operator named it) or private networks are allowed.
/// </summary>
public sealed class EndpointPolicy
{
    /// <summary>The longest endpoint URL a subscription may name.</summary>
    public const int MaxEndpointLength = 2000;

    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];
    private readonly HashSet<IPAddress> _addresses = [];

    public EndpointPolicy(IEnumerable<string> allowedHosts, bool allowPrivateNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedHosts);
        AllowPrivateNetworks = allowPrivateNetworks;
        foreach (var entry in allowedHosts)
        {
            var host = Normalize(entry);
            if (host.Length == 0) continue;
            if (host.StartsWith("*.", StringComparison.Ordinal)) _suffixes.Add(host[1..]); // ".example.gov"
            else if (IPAddress.TryParse(host, out var address)) _addresses.Add(Canonical(address));
            else _names.Add(host);
        }
    }

    /// <summary>Whether internal addresses may be reached through any allowed host (a closed network's receivers).</summary>
    public bool AllowPrivateNetworks { get; }

    /// <summary>
    /// Null when <paramref name="endpoint"/> may be a subscription's endpoint; else the refusal (field
    /// <c>endpoint</c>) with the reason in Chinese.
    /// </summary>
    public Refusal? Check(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint)) return Refuse("通知地址不能为空");
        if (endpoint.Length > MaxEndpointLength) return Refuse($"通知地址不能超过 {MaxEndpointLength} 个字符");
        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? Check(uri) : Refuse(NotAnAddress);
    }

    /// <summary>The same check for a parsed URL.</summary>
    public Refusal? Check(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp) || endpoint.Host.Length == 0)
            return Refuse(NotAnAddress);
        if (endpoint.UserInfo.Length > 0) return Refuse("通知地址不能包含用户名或密码");
        if (endpoint.OriginalString.Length > MaxEndpointLength) return Refuse($"通知地址不能超过 {MaxEndpointLength} 个字符");
        var host = HostOf(endpoint);
        return IsAllowedHost(host) ? null : Refuse($"通知地址的主机 {host} 不在允许的通知地址列表中，请联系系统管理员");
    }

    /// <summary>Whether <paramref name="host"/> (a name or an IP literal, brackets optional) is on the allow-list.</summary>
    public bool IsAllowedHost(string host)
    {
        var h = Normalize(host);
        if (h.Length == 0) return false;
        if (IPAddress.TryParse(h, out var address)) return IsListedAddress(address);
        if (_names.Contains(h)) return true;
        foreach (var suffix in _suffixes)
            if (h.Length > suffix.Length && h.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>
    /// Whether a delivery to <paramref name="host"/> may connect to <paramref name="address"/>, one of the addresses
    /// it resolved to: any outside address; an internal one only when private networks are allowed or the host is that
    /// very IP literal, listed exactly.
    /// </summary>
    public bool MayConnect(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IsInternal(address) || AllowPrivateNetworks) return true;
        return IPAddress.TryParse(Normalize(host), out var literal) && IsListedAddress(literal) && Canonical(literal).Equals(Canonical(address));
    }

    /// <summary>
    /// Whether <paramref name="address"/> lies inside: this host, private or shared networks, link-local, the
    /// "this network" block, multicast, reserved and broadcast (IPv4); unspecified, loopback and IPv4-compatible,
    /// unique-local, link-local, site-local and multicast (IPv6); and the IPv4-mapped and NAT64 forms of the IPv4 ones.
    /// </summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork) return IsInternalV4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return true; // nothing else is an Internet address
        if (address.IsIPv4MappedToIPv6) return IsInternalV4(address.MapToIPv4().GetAddressBytes());
        var b = address.GetAddressBytes();
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return true;                // ::, ::1 and ::a.b.c.d (IPv4-compatible)
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return IsInternalV4(b[12..]);                                                  // 64:ff9b::/96, NAT64 of an IPv4 address
        if ((b[0] & 0xfe) == 0xfc) return true;                                            // fc00::/7 unique local
        if (b[0] == 0xfe && (b[1] & 0xc0) is 0x80 or 0xc0) return true;                   // fe80::/10 link-local, fec0::/10 site-local
        return b[0] == 0xff;                                                               // ff00::/8 multicast
    }

    private static bool IsInternalV4(byte[] b) =>
        b[0] is 0 or 10 or 127                                     // this network, private, loopback
        || (b[0] == 100 && (b[1] & 0xc0) == 64)                    // 100.64/10 shared (CGNAT)
        || (b[0] == 169 && b[1] == 254)                            // link-local
        || (b[0] == 172 && (b[1] & 0xf0) == 16)                    // 172.16/12 private
        || (b[0] == 192 && b[1] == 168)                            // private
        || b[0] >= 224;                                            // 224/4 multicast, 240/4 reserved, 255.255.255.255 broadcast

    private bool IsListedAddress(IPAddress address) => _addresses.Contains(Canonical(address));

    /// <summary>An address without its IPv6 scope, and an IPv4-mapped one as IPv4, so equal addresses compare equal.</summary>
    private static IPAddress Canonical(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) return new IPAddress(address.GetAddressBytes());
        return address;
    }

    /// <summary>The host of a URL as the allow-list compares it: punycode for a name, no brackets for IPv6.</summary>
    public static string HostOf(Uri endpoint) => Normalize(endpoint.IdnHost);

    private static string Normalize(string? host)
    {
        var h = (host ?? "").Trim();
        if (h.StartsWith('[') && h.EndsWith(']')) h = h[1..^1];
        h = h.TrimEnd('.');
        if (h.Length == 0 || IPAddress.TryParse(h, out _)) return h.ToLowerInvariant();
        try { return new IdnMapping().GetAscii(h).ToLowerInvariant(); }                // a Chinese name compares as the URL's punycode
        catch (ArgumentException) { return h.ToLowerInvariant(); }
    }

    private const string NotAnAddress = "通知地址必须是以 http:// 或 https:// 开头的完整网址";

    private static Refusal Refuse(string reason) => Refusal.Invalid("endpoint", reason);
}
