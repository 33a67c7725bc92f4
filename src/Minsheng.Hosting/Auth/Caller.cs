using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Domain.Plans;

namespace Minsheng.Hosting.Auth;

/// <summary>Kinds of callers named by the token's <c>role</c> claim.</summary>
public enum CallerKind { Office, Department, Street, Viewer }

/// <summary>
/// Who is calling, from the token's <c>role</c> claim: <c>office</c>, <c>department:{id}</c>, <c>street:{id}</c> or
/// <c>viewer</c>, and the person (<c>sub</c>). Every rule of who may change what lives here, so no endpoint decides
/// it on its own. A role's unit must be a street or department of a loaded plan: a word that merely looks like one
/// (<c>street:district</c>, <c>street:nowhere</c>) is no caller at all.
/// </summary>
public sealed record Caller(CallerKind Kind, string? UnitId, string Person)
{
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    public string Role => RoleOf(Kind, UnitId);

    private static string RoleOf(CallerKind kind, string? unitId) => kind switch
    {
        CallerKind.Office => "office",
        CallerKind.Viewer => "viewer",
        CallerKind.Department => $"department:{unitId}",
        _ => $"street:{unitId}",
    };

    /// <summary>The role's shape only; <see cref="Read"/> also checks the unit.</summary>
    private static (CallerKind Kind, string? UnitId)? Shape(string? role) => role switch
    {
        "office" => (CallerKind.Office, null),
        "viewer" => (CallerKind.Viewer, null),
        { } r when r.StartsWith("department:", StringComparison.Ordinal) && r.Length > 11 => (CallerKind.Department, r[11..]),
        { } r when r.StartsWith("street:", StringComparison.Ordinal) && r.Length > 7 => (CallerKind.Street, r[7..]),
        _ => null,
    };

    /// <summary>The caller a role names, or null when the role is unknown or its unit is not in any loaded plan.</summary>
    public static Caller? Parse(string? role, PlanCatalog catalog, string? person = null) => Read(role, person, catalog).Caller;

    /// <summary>Why a role is refused, in Chinese, or null when it names a caller.</summary>
    public static string? Refusal(string? role, PlanCatalog catalog) => Read(role, null, catalog).Refusal;

    /// <summary>
    /// The one parse of a role: the caller it names, or why it names none. The answer and its refusal come from the
    /// same reading, so a request is never judged twice (<see cref="CallerClaims"/> runs it once per request).
    /// </summary>
    internal static (Caller? Caller, string? Refusal) Read(string? role, string? person, PlanCatalog catalog)
    {
        if (Shape(role) is not var (kind, unitId))
            return (null, $"令牌中的角色“{Clip(role)}”不是 office、viewer、department:{{单位}} 或 street:{{街道}}");
        var known = kind switch
        {
            CallerKind.Street => catalog.HasStreet(unitId!),
            CallerKind.Department => catalog.HasDepartment(unitId!),
            _ => true,
        };
        return known
            ? (new Caller(kind, unitId, string.IsNullOrWhiteSpace(person) ? role! : person), null)
            : (null, $"令牌中的角色“{Clip(role)}”所指的单位不在任何计划中");
    }

    /// <summary>
    /// The caller of an authenticated principal. A principal that came through authentication carries its caller,
    /// parsed once by <see cref="CallerClaims"/>; one built by hand (never a request's) is parsed here.
    /// </summary>
    public static Caller? From(ClaimsPrincipal user, PlanCatalog catalog) =>
        CallerIdentity.Of(user) is { } parsed ? parsed.Caller
        : Read(user.FindFirst(RoleClaim)?.Value, user.FindFirst(SubjectClaim)?.Value, catalog).Caller;

    /// <summary>
    /// The caller of a request that passed authorization (which checked the role against the plans); endpoints call
    /// this, so they never see an unchecked role.
    /// </summary>
    public static Caller From(HttpContext context) =>
        CallerIdentity.Of(context.User)?.Caller
        ?? throw new InvalidOperationException("Authorization admitted a request without a valid caller.");

    /// <summary>Binds the caller as a handler parameter, so no handler reads the token itself.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(From(context));

    /// <summary>
    /// A street reports only its own assignments; a department only the district-level assignments of the tasks it
    /// leads; the office may report anything; a viewer nothing.
    /// </summary>
    public bool MayReport(PlanTask task, string unitId) => Kind switch
    {
        CallerKind.Office => true,
        CallerKind.Street => unitId == UnitId && unitId != PlanUnits.District,
        CallerKind.Department => unitId == PlanUnits.District && task.LeadDepartment == UnitId,
        _ => false,
    };

    /// <summary>Schedules may be set by the assignment's owner or by the task's lead department (and the office).</summary>
    public bool MaySchedule(PlanTask task, string unitId) => MayReport(task, unitId)
        || (Kind == CallerKind.Department && task.LeadDepartment == UnitId);

    public bool IsOffice => Kind == CallerKind.Office;

    private static string Clip(string? value) => value is null ? "" : value.Length <= 40 ? Minsheng.Domain.Limits.TextRules.Escape(value) : Minsheng.Domain.Limits.TextRules.Escape(value[..40]) + "…";
}
