using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Domain.Plans;

namespace Minsheng.Hosting.Auth;

/// <summary>Kinds of callers named by the token's <c>role</c> claim.</summary>
public enum CallerKind { Office, Department, Street, Viewer, RegionViewer, RegionOffice, Reporter, Reviewer }

/// <summary>
/// Who is calling, from the token's <c>role</c> claim: <c>office</c>, <c>viewer</c>, <c>department:{id}</c>,
/// <c>street:{id}</c>, <c>reporter:{unitId}</c>, <c>reviewer:{unitId}</c>, <c>region-viewer:{regionId}</c> or
/// <c>region-office:{regionId}</c>; the person (<c>sub</c>); and
/// for a unit role its district (<c>district</c>). Every rule of who may see or change what lives here, so no endpoint
/// decides it on its own.
/// <list type="bullet">
/// <item><c>office</c> and <c>viewer</c> are service-wide: every plan of every district.</item>
/// <item>A unit role counts only in the plans of its own district (<see cref="Plan.DistrictId"/>): unit ids are unique
/// only inside a district, and a <c>street:tianshui</c> of one district must never write into another's plan. A unit
/// token without a district is no caller at all (tokens issued before districts must be reissued).</item>
/// <item>Under sign-off (填报→审核, <see cref="Plan.SignOff"/>) a unit has two duties: <c>reporter:{unitId}</c> fills in
/// what the unit's own role (<c>street:</c>, <c>department:</c>) may report, and <c>reviewer:{unitId}</c> approves or
/// sends back those reports and reports nothing itself. The unit is a street or a department of its district; both are
/// unit roles and count only in their district's plans.</item>
/// <item>A region role sees only the plans of its region; <c>region-office</c> also does there what <c>office</c> does
/// in a plan (reports, schedules, cases), but nothing service-wide (the clock, the dashboard).</item>
/// </list>
/// A role's unit must be a street or department of a loaded plan of its district, and a region role's region one a
/// loaded plan names: a word that merely looks like one (<c>street:district</c>, <c>street:nowhere</c>) is no caller.
/// </summary>
public sealed record Caller(CallerKind Kind, string? UnitId, string Person, string? DistrictId = null, string? RegionId = null)
{
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    /// <summary>The claim naming a unit role's district (the <see cref="Plan.DistrictId"/> of the plans it counts in).</summary>
    public const string DistrictClaim = "district";

    /// <summary>The roles a token may name, as a usage line and refusals show them.</summary>
    public const string RoleShapes = "office、viewer、department:{单位}、street:{街道}、reporter:{单位}、reviewer:{单位}、region-viewer:{地区} 或 region-office:{地区}";

    public string Role => Kind switch
    {
        CallerKind.Office => "office",
        CallerKind.Viewer => "viewer",
        CallerKind.Department => $"department:{UnitId}",
        CallerKind.RegionViewer => $"region-viewer:{RegionId}",
        CallerKind.RegionOffice => $"region-office:{RegionId}",
        CallerKind.Reporter => $"reporter:{UnitId}",
        CallerKind.Reviewer => $"reviewer:{UnitId}",
        _ => $"street:{UnitId}",
    };

    /// <summary>A street or department, or a duty of one (reporter, reviewer): a role that counts only in its district's plans.</summary>
    public bool IsUnit => Kind is CallerKind.Street or CallerKind.Department or CallerKind.Reporter or CallerKind.Reviewer;

    /// <summary>A role of one unit whose reports wait for the unit's reviewer when the plan turns sign-off on.</summary>
    public bool FilesForSignOff => Kind is CallerKind.Street or CallerKind.Department or CallerKind.Reporter;

    /// <summary>A role that only reads (<c>viewer</c>, <c>region-viewer:*</c>).</summary>
    public bool IsReadOnly => Kind is CallerKind.Viewer or CallerKind.RegionViewer;

    /// <summary>The service-wide office (the clock, the dashboard, every plan).</summary>
    public bool IsOffice => Kind == CallerKind.Office;

    /// <summary>The role's shape only; <see cref="Read"/> also checks the unit or region.</summary>
    private static (CallerKind Kind, string? Id)? Shape(string? role) => role switch
    {
        "office" => (CallerKind.Office, null),
        "viewer" => (CallerKind.Viewer, null),
        { } r when After(r, "department:") is { } id => (CallerKind.Department, id),
        { } r when After(r, "street:") is { } id => (CallerKind.Street, id),
        { } r when After(r, "reporter:") is { } id => (CallerKind.Reporter, id),
        { } r when After(r, "reviewer:") is { } id => (CallerKind.Reviewer, id),
        { } r when After(r, "region-viewer:") is { } id => (CallerKind.RegionViewer, id),
        { } r when After(r, "region-office:") is { } id => (CallerKind.RegionOffice, id),
        _ => null,
    };

    private static string? After(string role, string prefix) =>
        role.StartsWith(prefix, StringComparison.Ordinal) && role.Length > prefix.Length ? role[prefix.Length..] : null;

    /// <summary>The caller a role names, or null when the role is unknown or its unit (in its district) or region is not loaded.</summary>
    public static Caller? Parse(string? role, PlanCatalog catalog, string? person = null, string? district = null) => Read(role, person, district, catalog).Caller;

    /// <summary>Why a role (with its district, for a unit role) is refused, in Chinese, or null when it names a caller.</summary>
    public static string? Refusal(string? role, PlanCatalog catalog, string? district = null) => Read(role, null, district, catalog).Refusal;

    /// <summary>
    /// True when <paramref name="role"/> is a unit role (<c>street:*</c>, <c>department:*</c>, <c>reporter:*</c>,
    /// <c>reviewer:*</c>), whose token needs a district. <paramref name="department"/> says which kind of unit the role
    /// names: a department, a street, or null for a duty role, whose unit may be either.
    /// </summary>
    public static bool IsUnitRole(string? role, out string unitId, out bool? department)
    {
        (unitId, department) = ("", false);
        if (Shape(role) is not var (kind, id) || kind is not (CallerKind.Street or CallerKind.Department or CallerKind.Reporter or CallerKind.Reviewer)) return false;
        (unitId, department) = (id!, kind switch { CallerKind.Department => true, CallerKind.Street => false, _ => null });
        return true;
    }

    /// <summary>
    /// The one parse of a role: the caller it names, or why it names none. The answer and its refusal come from the
    /// same reading, so a request is never judged twice (<see cref="CallerClaims"/> runs it once per request).
    /// </summary>
    internal static (Caller? Caller, string? Refusal) Read(string? role, string? person, string? district, PlanCatalog catalog)
    {
        if (Shape(role) is not var (kind, id))
            return (null, $"令牌中的角色“{Clip(role)}”不是 {RoleShapes}");
        var name = string.IsNullOrWhiteSpace(person) ? role! : person;
        switch (kind)
        {
            case CallerKind.Street or CallerKind.Department or CallerKind.Reporter or CallerKind.Reviewer:
                if (string.IsNullOrWhiteSpace(district))
                    return (null, $"令牌中的单位角色“{Clip(role)}”没有所属区县（district）：单位角色只在本区县的计划中有效，区县上线前签发的令牌须重新签发（token ROLE --district 区县）");
                var known = kind switch
                {
                    CallerKind.Street => catalog.HasStreet(district, id!),
                    CallerKind.Department => catalog.HasDepartment(district, id!),
                    _ => catalog.HasStreet(district, id!) || catalog.HasDepartment(district, id!),
                };
                return known
                    ? (new Caller(kind, id, name, district), null)
                    : (null, $"令牌中的角色“{Clip(role)}”所指的单位不在区县“{Clip(district)}”的任何计划中");
            case CallerKind.RegionViewer or CallerKind.RegionOffice:
                return catalog.FindRegion(id!) is not null
                    ? (new Caller(kind, null, name, RegionId: id), null)
                    : (null, $"令牌中的角色“{Clip(role)}”所指的地区不是任何计划所属的地区");
            default:
                return (new Caller(kind, null, name), null);
        }
    }

    /// <summary>
    /// The caller of an authenticated principal. A principal that came through authentication carries its caller,
    /// parsed once by <see cref="CallerClaims"/>; one built by hand (never a request's) is parsed here.
    /// </summary>
    public static Caller? From(ClaimsPrincipal user, PlanCatalog catalog) =>
        CallerIdentity.Of(user) is { } parsed ? parsed.Caller
        : Read(user.FindFirst(RoleClaim)?.Value, user.FindFirst(SubjectClaim)?.Value, user.FindFirst(DistrictClaim)?.Value, catalog).Caller;

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
    /// Whether the caller may use the plan at all (read it, and write what its role allows): the service-wide roles
    /// every plan; a unit role the plans of its district; a region role the plans of its region.
    /// </summary>
    public bool MayUse(Plan plan) => Kind switch
    {
        CallerKind.Office or CallerKind.Viewer => true,
        CallerKind.Street or CallerKind.Department or CallerKind.Reporter or CallerKind.Reviewer => plan.DistrictId == DistrictId,
        _ => plan.Region?.Id == RegionId,
    };

    /// <summary>Why the caller may not use the plan, in Chinese (a 403 problem naming <c>planId</c>), or null when it may.</summary>
    public string? RefusalIn(Plan plan) => MayUse(plan) ? null : Kind switch
    {
        CallerKind.Street or CallerKind.Department or CallerKind.Reporter or CallerKind.Reviewer =>
            $"角色 {Role} 属于区县“{DistrictId}”，只在本区县的计划中有效；计划“{plan.Id}”属于区县“{plan.DistrictId}”",
        _ => $"角色 {Role} 只能访问地区“{RegionId}”的计划；计划“{plan.Id}”不属于该地区",
    };

    /// <summary>Whether the caller may read a region's rollup: the service-wide roles, and the region's own roles.</summary>
    public bool MayReadRegion(string regionId) => Kind switch
    {
        CallerKind.Office or CallerKind.Viewer => true,
        CallerKind.RegionViewer or CallerKind.RegionOffice => RegionId == regionId,
        _ => false,
    };

    /// <summary>The office of this plan: <c>office</c> anywhere, <c>region-office:{id}</c> in its region's plans.</summary>
    public bool ActsAsOfficeIn(Plan plan) => Kind == CallerKind.Office || (Kind == CallerKind.RegionOffice && MayUse(plan));

    /// <summary>
    /// A street reports only its own assignments; a department only the district-level assignments of the tasks it
    /// leads; the office (and a region's office in its plans) may report anything; a viewer nothing. Nothing at all in
    /// a plan the caller may not use (<see cref="MayUse"/>). A reporter reports what its unit's own role may; a reviewer
    /// reports nothing.
    /// </summary>
    public bool MayReport(Plan plan, PlanTask task, string unitId) => MayUse(plan) && Kind switch
    {
        CallerKind.Office or CallerKind.RegionOffice => true,
        CallerKind.Street or CallerKind.Department or CallerKind.Reporter => UnitReports(plan, task, unitId),
        _ => false,
    };

    /// <summary>
    /// Whether the caller may approve or send back a report of <paramref name="unitId"/> in <paramref name="task"/> filed
    /// under sign-off: the unit's reviewer (the cells its unit reports), and the plan's office.
    /// </summary>
    public bool MayReview(Plan plan, PlanTask task, string unitId) =>
        ActsAsOfficeIn(plan) || (MayUse(plan) && Kind == CallerKind.Reviewer && UnitReports(plan, task, unitId));

    /// <summary>
    /// The cells this caller's unit reports: a street its own; a department the district-level ones of the tasks it
    /// leads. A duty role's unit is whichever of the two the plan has under that id.
    /// </summary>
    private bool UnitReports(Plan plan, PlanTask task, string unitId) => UnitKindIn(plan) switch
    {
        CallerKind.Street => unitId == UnitId && unitId != PlanUnits.District,
        CallerKind.Department => unitId == PlanUnits.District && task.LeadDepartment == UnitId,
        _ => false,
    };

    private CallerKind? UnitKindIn(Plan plan) => Kind switch
    {
        CallerKind.Street or CallerKind.Department => Kind,
        CallerKind.Reporter or CallerKind.Reviewer when plan.Streets.Any(s => s.Id == UnitId) => CallerKind.Street,
        CallerKind.Reporter or CallerKind.Reviewer when plan.Departments.Any(d => d.Id == UnitId) => CallerKind.Department,
        _ => null,
    };

    /// <summary>Schedules may be set by the assignment's owner or by the task's lead department (and the office).</summary>
    public bool MaySchedule(Plan plan, PlanTask task, string unitId) => MayReport(plan, task, unitId)
        || (MayUse(plan) && Kind == CallerKind.Department && task.LeadDepartment == UnitId);

    /// <summary>A case is answered by its task's lead department (of the plan's district) or the plan's office.</summary>
    public bool MayRespond(Plan plan, string leadDepartment) =>
        ActsAsOfficeIn(plan) || (MayUse(plan) && Kind == CallerKind.Department && UnitId == leadDepartment);

    private static string Clip(string? value) => value is null ? "" : value.Length <= 40 ? Minsheng.Domain.Limits.TextRules.Escape(value) : Minsheng.Domain.Limits.TextRules.Escape(value[..40]) + "…";
}
