using System.Security.Claims;
using Minsheng.Hosting.Auth;

namespace Minsheng.Silo.Tests;

/// <summary>The mapping of a provider's claims to this service's role, district and person, and the rules of its settings.</summary>
public sealed class ProviderClaimsTests
{
    private static readonly OidcOptions Options = new()
    {
        Authority = "https://idp.example.gov.cn",
        Issuer = "https://idp.example.gov.cn",
        Audience = "minsheng",
        RoleClaim = "minsheng_role",
        DistrictClaim = "district_code",
        Roles =
        [
            new OidcRoleRule { Claim = "groups", Value = "gs-wulin", Role = "street:wulin", District = "gongshu" },
            new OidcRoleRule { Claim = "dept", Value = "330105-dcb", Role = "office" },
        ],
    };

    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "jwt"));

    private static (string? Role, string? District, string? Person) Mapped(ClaimsPrincipal token)
    {
        var mapped = ProviderClaims.Map(token, Options);
        return (mapped.FindFirst("role")?.Value, mapped.FindFirst("district")?.Value, mapped.FindFirst("sub")?.Value);
    }

    [Fact]
    public void The_first_matching_rule_names_the_role_and_district_and_the_person_is_name_and_id()
    {
        Assert.Equal(("street:wulin", "gongshu", "王芳 (u-1)"), Mapped(Token(("sub", "u-1"), ("name", "王芳"), ("groups", "x"), ("groups", "gs-wulin"), ("dept", "330105-dcb"))));
        Assert.Equal(("office", null, "u-2"), Mapped(Token(("sub", "u-2"), ("dept", "330105-dcb"))));
    }

    [Fact]
    public void Without_a_matching_rule_the_role_and_district_claims_are_taken_as_they_are()
    {
        Assert.Equal(("street:hushu", "gongshu", "李明 (u-3)"), Mapped(Token(("sub", "u-3"), ("name", "李明"), ("minsheng_role", "street:hushu"), ("district_code", "gongshu"))));
        // A token that names no role here maps to none: the caller check refuses it (403).
        Assert.Equal((null, null, "u-4"), Mapped(Token(("sub", "u-4"), ("groups", "elsewhere"))));
    }

    [Fact]
    public void Only_the_services_own_claims_are_kept()
    {
        var mapped = ProviderClaims.Map(Token(("sub", "u-1"), ("groups", "gs-wulin"), ("role", "office"), ("email", "a@b")), Options);
        Assert.Equal(["sub", "role", "district"], mapped.Claims.Select(c => c.Type));
        Assert.Equal("street:wulin", mapped.FindFirst("role")!.Value); // the provider's own "role" claim is not taken
        Assert.True(mapped.Identity!.IsAuthenticated);
    }

    [Theory]
    [InlineData("Minsheng:Auth:Oidc:Issuer is required", "Issuer", null)]
    [InlineData("Minsheng:Auth:Oidc:Audience is required", "Audience", "")]
    [InlineData("must differ from the service's own issuer", "Issuer", "minsheng")]
    [InlineData("must be https", "Authority", "http://idp.example.gov.cn")]
    [InlineData("KeyRefreshSeconds must be between 1 and 86400", "KeyRefreshSeconds", "0")]
    public void A_wrong_setting_is_named(string message, string property, string? value)
    {
        var options = Copy();
        typeof(OidcOptions).GetProperty(property)!.SetValue(options, property == "KeyRefreshSeconds" ? int.Parse(value!, System.Globalization.CultureInfo.InvariantCulture) : value);
        var result = new OidcOptionsRules().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_unit_role_rule_needs_its_district_and_no_rules_and_no_role_claim_is_refused()
    {
        var options = Copy();
        options.Roles = [new OidcRoleRule { Claim = "groups", Value = "g", Role = "department:jsj" }];
        Assert.Contains("Roles:0 maps to the unit role 'department:jsj' and needs its District", new OidcOptionsRules().Validate(null, options).FailureMessage, StringComparison.Ordinal);
        options.Roles = [];
        options.RoleClaim = null;
        Assert.True(new OidcOptionsRules().Validate(null, options).Failed);
        Assert.True(new OidcOptionsRules().Validate(null, new OidcOptions()).Succeeded); // off: nothing to check
        Assert.True(new OidcOptionsRules().Validate(null, Copy()).Succeeded);
    }

    private static OidcOptions Copy() => new()
    {
        Authority = Options.Authority, Issuer = Options.Issuer, Audience = Options.Audience, RoleClaim = Options.RoleClaim,
        DistrictClaim = Options.DistrictClaim, Roles = [.. Options.Roles],
    };
}
