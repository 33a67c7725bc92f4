using System.Security.Claims;

namespace Minsheng.Hosting.Auth;

/// <summary>
/// Maps a validated token of the OpenID Connect provider to this service's claims: <c>role</c>, <c>district</c> and
/// <c>sub</c> (the person as history and audit record them: name and id). The provider's other claims are dropped, so
/// nothing downstream reads a claim this service did not decide on.
/// </summary>
public static class ProviderClaims
{
    /// <summary>The authentication type of a mapped identity.</summary>
    public const string AuthenticationType = "oidc";

    public static ClaimsPrincipal Map(ClaimsPrincipal token, OidcOptions options)
    {
        string? role = null, district = null;
        foreach (var rule in options.Roles)
        {
            if (!token.HasClaim(c => c.Type == rule.Claim && c.Value == rule.Value)) continue;
            (role, district) = (rule.Role, rule.District);
            break;
        }
        if (role is null && options.RoleClaim is { Length: > 0 } roleClaim) role = token.FindFirst(roleClaim)?.Value;
        if (district is null && options.DistrictClaim is { Length: > 0 } districtClaim) district = token.FindFirst(districtClaim)?.Value;

        var id = token.FindFirst(options.SubjectClaim)?.Value;
        var name = token.FindFirst(options.NameClaim)?.Value;
        var person = (name, id) switch
        {
            ({ Length: > 0 } n, { Length: > 0 } i) when n != i => $"{n} ({i})",
            (_, { Length: > 0 } i) => i,
            ({ Length: > 0 } n, _) => n,
            _ => role ?? "",
        };
        var claims = new List<Claim> { new(Caller.SubjectClaim, person) };
        if (role is not null) claims.Add(new Claim(Caller.RoleClaim, role));
        if (!string.IsNullOrWhiteSpace(district)) claims.Add(new Claim(Caller.DistrictClaim, district));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, Caller.SubjectClaim, Caller.RoleClaim));
    }
}
