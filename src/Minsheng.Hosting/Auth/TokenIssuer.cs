using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Minsheng.Hosting.Auth;

/// <summary>
/// Issues and describes the service's bearer tokens: HS256 JWTs whose <c>role</c> claim says what the caller may do
/// and whose <c>sub</c> names the person (the role itself when no person is named). A unit role (<c>street:*</c>,
/// <c>department:*</c>) also carries <c>district</c>: unit ids are unique only inside a district, so the token says
/// whose street it is, and it counts only in that district's plans.
/// </summary>
public static class TokenIssuer
{
    public const string Issuer = "minsheng";
    public const string Audience = "minsheng-api";

    /// <param name="district">The district of a unit role (<see cref="Caller.DistrictClaim"/>); none for other roles.</param>
    public static string Issue(byte[] key, string role, TimeSpan lifetime, DateTimeOffset now, string? person = null, string? district = null)
    {
        List<Claim> claims = [new Claim(Caller.RoleClaim, role), new Claim(Caller.SubjectClaim, string.IsNullOrWhiteSpace(person) ? role : person)];
        if (!string.IsNullOrWhiteSpace(district)) claims.Add(new Claim(Caller.DistrictClaim, district));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    public static TokenValidationParameters ValidationParameters(byte[] key) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = new SymmetricSecurityKey(key),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        RoleClaimType = Caller.RoleClaim,
        NameClaimType = "sub",
    };
}
