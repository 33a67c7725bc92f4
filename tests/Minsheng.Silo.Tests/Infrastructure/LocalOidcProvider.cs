using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>
/// A government's identity provider as far as a resource server sees it: a real Kestrel server on a loopback port
/// publishing an OpenID Connect discovery document and a JWKS of RSA keys, signing RS256 tokens with its current key,
/// and able to rotate keys (a new key published and used; the old one dropped from the JWKS or kept). It counts the
/// fetches of its keys, so a test sees the keys cached and fetched again only when a token names an unknown key.
/// </summary>
public sealed class LocalOidcProvider : IAsyncDisposable
{
    public const string Audience = "minsheng-gov";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<RsaSecurityKey> _published = [];
    private RsaSecurityKey _current;
    private int _keyFetches;

    private LocalOidcProvider(WebApplication app, RsaSecurityKey first)
    {
        _app = app;
        _current = first;
        _published.Add(first);
    }

    public string Authority { get; private set; } = "";

    public string Issuer => Authority;

    public int KeyFetches => Volatile.Read(ref _keyFetches);

    public static async Task<LocalOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new LocalOidcProvider(app, NewKey());
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Issuer,
            ["jwks_uri"] = provider.Authority + "/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref provider._keyFetches);
            return Results.Text(provider.Jwks(), "application/json");
        });
        await app.StartAsync();
        provider.Authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return provider;
    }

    /// <summary>The settings that point a silo at this provider, with the claim mappings of the tests.</summary>
    public IEnumerable<(string Key, string Value)> Settings()
    {
        yield return ("Minsheng:Auth:Oidc:Authority", Authority);
        yield return ("Minsheng:Auth:Oidc:Issuer", Issuer);
        yield return ("Minsheng:Auth:Oidc:Audience", Audience);
        yield return ("Minsheng:Auth:Oidc:RequireHttpsMetadata", "false");
        yield return ("Minsheng:Auth:Oidc:KeyRefreshSeconds", "1");
        yield return ("Minsheng:Auth:Oidc:RoleClaim", "minsheng_role");
        yield return ("Minsheng:Auth:Oidc:DistrictClaim", "district_code");
        yield return ("Minsheng:Auth:Oidc:Roles:0:Claim", "groups");
        yield return ("Minsheng:Auth:Oidc:Roles:0:Value", "gs-wulin-clerks");
        yield return ("Minsheng:Auth:Oidc:Roles:0:Role", "street:wulin");
        yield return ("Minsheng:Auth:Oidc:Roles:0:District", "gongshu");
        yield return ("Minsheng:Auth:Oidc:Roles:1:Claim", "groups");
        yield return ("Minsheng:Auth:Oidc:Roles:1:Value", "gs-duchaban");
        yield return ("Minsheng:Auth:Oidc:Roles:1:Role", "office");
    }

    /// <summary>An RS256 token of this provider with the given claims (a claim given twice becomes an array).</summary>
    public string Issue(IEnumerable<(string Type, string Value)> claims, TimeSpan? lifetime = null, string? issuer = null,
        string? audience = null, RsaSecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var subject = new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)));
        RsaSecurityKey signing;
        lock (_gate) signing = key ?? _current;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Subject = subject,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(30)),
            SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A new key signs from now on and is published; the old one stays published unless <paramref name="dropOld"/>.</summary>
    public void Rotate(bool dropOld)
    {
        lock (_gate)
        {
            var next = NewKey();
            if (dropOld) _published.Clear();
            _published.Add(next);
            _current = next;
        }
    }

    /// <summary>A key this provider never published (a forger's).</summary>
    public static RsaSecurityKey Unpublished() => NewKey();

    private string Jwks()
    {
        lock (_gate)
            return JsonSerializer.Serialize(new
            {
                keys = _published.Select(k =>
                {
                    var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(k);
                    return new { kty = jwk.Kty, use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E };
                }),
            });
    }

    private static RsaSecurityKey NewKey() =>
        new(RSA.Create(2048)) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
