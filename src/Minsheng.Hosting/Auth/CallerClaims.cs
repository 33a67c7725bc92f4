using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Minsheng.Domain.Plans;

namespace Minsheng.Hosting.Auth;

/// <summary>
/// The parsed caller of an authenticated principal, or why its role names none, carried on the principal itself as
/// a claimless identity. It rides on the principal (not only on the request) because everything that judges a caller
/// (the fallback policy, the office-only handler, the 403 answer, the audit of a refusal, handler binding) is handed
/// the principal, and reads the one parse from there instead of parsing the token's role again.
/// </summary>
public sealed class CallerIdentity : ClaimsIdentity
{
    internal CallerIdentity(Caller? caller, string? refusal)
    {
        Caller = caller;
        Refusal = refusal;
    }

    /// <summary>The caller, or null when the role is not one or names a unit no loaded plan holds.</summary>
    public Caller? Caller { get; }

    /// <summary>Why the role names no caller, in Chinese (the 403 problem's reason), or null for a caller.</summary>
    public string? Refusal { get; }

    /// <summary>
    /// No authentication type: this identity never makes a principal authenticated, never answers a role check, and
    /// adds no claim; the token's own identity stays the principal's first.
    /// </summary>
    public override bool IsAuthenticated => false;

    /// <inheritdoc />
    public override ClaimsIdentity Clone() => new CallerIdentity(Caller, Refusal);

    /// <summary>The parse <see cref="CallerClaims"/> attached to <paramref name="user"/>, or null when none was (not authenticated).</summary>
    public static CallerIdentity? Of(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
            if (identity is CallerIdentity parsed) return parsed;
        return null;
    }
}

/// <summary>
/// Parses the caller once per request, right where authentication produces the principal. Authentication may run the
/// transformation more than once for one request (every <c>AuthenticateAsync</c> does); the principal is the handler's
/// cached one, so the second run finds its parse and adds nothing.
/// </summary>
public sealed class CallerClaims(PlanCatalog catalog) : IClaimsTransformation
{
    private long _parses;

    /// <summary>Roles parsed so far by this host (a test proves one parse per request with it).</summary>
    internal long Parses => Interlocked.Read(ref _parses);

    /// <inheritdoc />
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || CallerIdentity.Of(principal) is not null) return Task.FromResult(principal);
        Interlocked.Increment(ref _parses);
        var (caller, refusal) = Caller.Read(principal.FindFirst(Caller.RoleClaim)?.Value, principal.FindFirst(Caller.SubjectClaim)?.Value,
            principal.FindFirst(Caller.DistrictClaim)?.Value, catalog);
        principal.AddIdentity(new CallerIdentity(caller, refusal));
        return Task.FromResult(principal);
    }
}
