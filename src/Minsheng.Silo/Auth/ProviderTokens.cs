using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Minsheng.Silo.Auth;

/// <summary>
/// Tokens of the configured OpenID Connect provider (<see cref="OidcOptions"/>), beside the service's own: ASP.NET
/// Core's JWT bearer handler fetches the provider's discovery document and keys and caches them (its configuration
/// manager; a token naming an unknown key makes it fetch them again, at most once per <c>KeyRefreshSeconds</c>, which
/// is how a key rotation is followed), validates issuer, audience, lifetime and signature, and the validated claims
/// are mapped to this service's role, district and person (<see cref="ProviderClaims"/>). Which handler reads a request
/// is decided by the unvalidated <c>iss</c> of its token: the provider's issuer goes to the provider's handler, anything
/// else (and no token) to the service's own, so a provider's token can never be checked with the service's key or the
/// other way round.
/// </summary>
public static class ProviderTokens
{
    public const string Scheme = "oidc";

    public static void Add(AuthenticationBuilder authentication, OidcOptions oidc, Func<JwtBearerEvents> answers)
    {
        authentication.AddJwtBearer(Scheme, options =>
        {
            options.Authority = oidc.Authority;
            options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            options.Audience = oidc.Audience;
            options.MapInboundClaims = false;
            options.RefreshOnIssuerKeyNotFound = true;
            // The handler's own configuration manager, but without "last known good": by default a token signed with a
            // key the provider has stopped publishing is still accepted for an hour from the keys fetched before; a key
            // the provider withdrew (retired or compromised) is refused as soon as the keys are fetched again.
            var metadata = oidc.MetadataAddress is { Length: > 0 } m ? m : oidc.Authority!.TrimEnd('/') + "/.well-known/openid-configuration";
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(metadata, new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever { RequireHttps = oidc.RequireHttpsMetadata })
            {
                RefreshInterval = TimeSpan.FromSeconds(oidc.KeyRefreshSeconds),
                UseLastKnownGoodConfiguration = false,
            };
            options.TokenValidationParameters.ValidIssuer = oidc.Issuer;
            options.TokenValidationParameters.ValidAudience = oidc.Audience;
            options.TokenValidationParameters.RequireExpirationTime = true;
            options.TokenValidationParameters.RequireSignedTokens = true;
            options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            var events = answers();
            events.OnTokenValidated = context =>
            {
                context.Principal = ProviderClaims.Map(context.Principal!, oidc);
                return Task.CompletedTask;
            };
            options.Events = events;
        });
        authentication.AddPolicyScheme(AuthSetup.EitherScheme, "the service's tokens or the provider's", options =>
            options.ForwardDefaultSelector = context => IssuerOf(context.Request.Headers.Authorization.ToString()) == oidc.Issuer
                ? Scheme
                : JwtBearerDefaults.AuthenticationScheme);
    }

    /// <summary>The <c>iss</c> of a bearer token as it claims (not validated: it only picks the handler that validates it).</summary>
    internal static string? IssuerOf(string authorization)
    {
        const string Bearer = "Bearer ";
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return null;
        var token = authorization[Bearer.Length..].Trim();
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(token)) return null;
        try { return handler.ReadJsonWebToken(token).Issuer; }
        catch (ArgumentException) { return null; }
    }
}
