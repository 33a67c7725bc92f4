using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Minsheng.Hosting.Auth;

/// <summary>
/// Issues and describes the service's bearer tokens: HS256 JWTs whose <c>role</c> claim says what the caller may do
/// and whose <c>sub</c> names the person (the role itself when no person is named).
/// </summary>
public static class TokenIssuer
{
    public const string Issuer = "minsheng";
    public const string Audience = "minsheng-api";

    public static string Issue(byte[] key, string role, TimeSpan lifetime, DateTimeOffset now, string? person = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim(Caller.RoleClaim, role), new Claim(Caller.SubjectClaim, string.IsNullOrWhiteSpace(person) ? role : person)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });

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
