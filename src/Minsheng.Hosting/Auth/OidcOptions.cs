using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Minsheng.Hosting.Auth;

/// <summary>
/// Tokens from the government's own OpenID Connect provider (<c>Minsheng:Auth:Oidc</c>), accepted beside the service's
/// own development tokens: off until <see cref="Authority"/> is set. A token whose <c>iss</c> is <see cref="Issuer"/>
/// is validated against the provider's published keys (fetched from its discovery document and cached; a token signed
/// with a key not yet known makes the keys be fetched again, at most once per <see cref="KeyRefreshSeconds"/>, so a key
/// rotation is followed); its claims are mapped to a role and a district by <see cref="Roles"/> (the first rule whose
/// claim holds the value) or taken from <see cref="RoleClaim"/> and <see cref="DistrictClaim"/>; the person recorded in
/// history and audit is the token's name and id (<see cref="NameClaim"/>, <see cref="SubjectClaim"/>).
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Minsheng:Auth:Oidc";

    /// <summary>The provider's base address; its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The discovery document's address when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The <c>iss</c> of the provider's tokens (required): tokens are told apart from the service's own by it.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> the provider puts in tokens for this service (required).</summary>
    public string? Audience { get; set; }

    /// <summary>Whether the discovery document and keys must come over HTTPS (off only for a provider on loopback in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The least time between two fetches of the provider's keys when a token names an unknown key.</summary>
    public int KeyRefreshSeconds { get; set; } = 30;

    /// <summary>The claim with the person's stable id.</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>The claim with the person's name.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>A claim holding one of this service's roles as it is (<c>street:wulin</c>), when the provider issues one.</summary>
    public string? RoleClaim { get; set; }

    /// <summary>A claim holding the district of a unit role, when the provider issues one.</summary>
    public string? DistrictClaim { get; set; }

    /// <summary>Rules from the provider's claims (a group, a department code) to a role and its district; the first that matches wins.</summary>
    public List<OidcRoleRule> Roles { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public static OidcOptions ReadEarly(IHostApplicationBuilder builder) => builder.ReadEarly<OidcOptions, OidcOptionsRules>(Section);
}

/// <summary>One mapping: a token whose claim <see cref="Claim"/> holds <see cref="Value"/> acts as <see cref="Role"/> (of <see cref="District"/>).</summary>
public sealed class OidcRoleRule
{
    public string Claim { get; set; } = "groups";

    public string Value { get; set; } = "";

    /// <summary>A role of this service: <c>office</c>, <c>viewer</c>, <c>street:{id}</c>, <c>department:{id}</c>, <c>region-viewer:{id}</c> or <c>region-office:{id}</c>.</summary>
    public string Role { get; set; } = "";

    /// <summary>The district of a unit role.</summary>
    public string? District { get; set; }
}

/// <summary>The rules of <see cref="OidcOptions"/>.</summary>
public sealed class OidcOptionsRules : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options) => ValidatedOptions.Result(Errors(options));

    private static IEnumerable<string> Errors(OidcOptions o)
    {
        const string S = OidcOptions.Section;
        if (!o.Enabled) yield break;
        if (!Uri.TryCreate(o.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            yield return $"{S}:Authority must be an absolute http(s) address, not '{o.Authority}'";
        else if (o.RequireHttpsMetadata && authority.Scheme != "https")
            yield return $"{S}:Authority must be https while {S}:RequireHttpsMetadata is true";
        if (o.MetadataAddress is { Length: > 0 } m && !Uri.TryCreate(m, UriKind.Absolute, out _))
            yield return $"{S}:MetadataAddress must be an absolute address, not '{m}'";
        if (string.IsNullOrWhiteSpace(o.Issuer)) yield return $"{S}:Issuer is required when {S}:Authority is set";
        else if (o.Issuer == TokenIssuer.Issuer) yield return $"{S}:Issuer must differ from the service's own issuer '{TokenIssuer.Issuer}'";
        if (string.IsNullOrWhiteSpace(o.Audience)) yield return $"{S}:Audience is required when {S}:Authority is set";
        if (o.KeyRefreshSeconds is < 1 or > 86_400) yield return $"{S}:KeyRefreshSeconds must be between 1 and 86400, not {o.KeyRefreshSeconds}";
        if (string.IsNullOrWhiteSpace(o.SubjectClaim)) yield return $"{S}:SubjectClaim must name a claim";
        if (o.Roles.Count == 0 && string.IsNullOrWhiteSpace(o.RoleClaim)) yield return $"{S}: set {S}:Roles or {S}:RoleClaim, or no token of the provider names a role";
        for (var i = 0; i < o.Roles.Count; i++)
        {
            var rule = o.Roles[i];
            if (string.IsNullOrWhiteSpace(rule.Claim) || string.IsNullOrWhiteSpace(rule.Value) || string.IsNullOrWhiteSpace(rule.Role))
                yield return $"{S}:Roles:{i} needs Claim, Value and Role";
            else if (Caller.IsUnitRole(rule.Role, out _, out _) && string.IsNullOrWhiteSpace(rule.District))
                yield return $"{S}:Roles:{i} maps to the unit role '{rule.Role}' and needs its District";
        }
    }
}
