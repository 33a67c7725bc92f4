using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Minsheng.Silo.Api;

namespace Minsheng.Silo.Auth;

/// <summary>JWT bearer authentication; every endpoint needs a valid token unless it says otherwise (health only).</summary>
public static class AuthSetup
{
    /// <summary>Adds bearer-token authentication and a fallback policy that requires it everywhere.</summary>
    public static WebApplicationBuilder AddMinshengAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AuthOptions, AuthOptionsRules>(AuthOptions.Section);
        builder.Services.AddValidatedOptions<OidcOptions, OidcOptionsRules>(OidcOptions.Section);
        var key = SigningKeys.Resolve(builder);
        var oidc = OidcOptions.ReadEarly(builder);
        var authentication = builder.Services.AddAuthentication(oidc.Enabled ? EitherScheme : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = TokenIssuer.ValidationParameters(key);
                // A token is validated once and remembered until its exp (ValidatedTokens), around the handler
                // configured just above; the wall clock, as the handler's own lifetime check uses.
                var handler = options.TokenHandlers.Single();
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(new ValidatedTokens(handler, TimeProvider.System));
                options.Events = Answers();
            });
        if (oidc.Enabled) ProviderTokens.Add(authentication, oidc, Answers);
        // The caller is parsed once, as authentication produces the principal; every check below reads that parse.
        builder.Services.AddSingleton<CallerClaims>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authentication.IClaimsTransformation>(sp => sp.GetRequiredService<CallerClaims>());
        UseInMemoryDataProtection(builder.Services);
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(CallerPolicy);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, OfficeOnlyHandler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, OfficeOnlyRefusals>();
        return builder;
    }

    /// <summary>The default scheme when a provider is configured: the service's own tokens or the provider's, by the token's issuer.</summary>
    public const string EitherScheme = "minsheng-or-provider";

    /// <summary>The 401 and 403 answers (RFC 7807, in Chinese) of every bearer scheme.</summary>
    internal static JwtBearerEvents Answers() => new()
    {
        OnChallenge = async context =>
        {
            context.HandleResponse();
            await Problems.Write(context.HttpContext, 401, "未认证", "Authorization",
                context.AuthenticateFailure is null ? "缺少访问令牌（Bearer token）" : "访问令牌无效或已过期");
        },
        OnForbidden = context => Problems.Write(context.HttpContext, 403, "无权操作", "role",
            CallerIdentity.Of(context.HttpContext.User)?.Refusal ?? "当前角色无权访问此资源"),
    };

    /// <summary>
    /// Authentication brings ASP.NET Data Protection, whose start-up service preloads a key ring: on a new machine it
    /// writes a key to ~/.aspnet/DataProtection-Keys and warns that the key is stored unencrypted. Nothing here protects
    /// data with it (bearer tokens only: no cookies, no antiforgery, no protected query strings), so the protector's keys
    /// live in memory and the preload of the unused file key ring is removed: no file, no warning. A feature that needs
    /// keys surviving a restart or shared by silos (cookies, antiforgery) must configure a shared, encrypted key store
    /// instead and drop this. The first-run test fails if a later ASP.NET brings the warning back.
    /// </summary>
    private static void UseInMemoryDataProtection(IServiceCollection services)
    {
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var preload = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList();
        foreach (var descriptor in preload) services.Remove(descriptor);
    }

    /// <summary>What every endpoint without its own policy requires: a valid token whose role names a caller of a loaded plan.</summary>
    public static Microsoft.AspNetCore.Authorization.AuthorizationPolicy CallerPolicy { get; } =
        new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireAssertion(c => CallerIdentity.Of(c.User)?.Caller is not null)
            .Build();
}
