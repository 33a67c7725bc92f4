using System.Security.Claims;
using Minsheng.Domain.Plans;

namespace Minsheng.Silo.Auth;

/// <summary>Kinds of callers named by the token's <c>role</c> claim.</summary>
public enum CallerKind { Office, Department, Street, Viewer }

/// <summary>
/// Who is calling, from the token's <c>role</c> claim: <c>office</c>, <c>department:{id}</c>, <c>street:{id}</c> or
/// <c>viewer</c>. Every rule of who may change what lives here, so no endpoint decides it on its own.
/// </summary>
public sealed record Caller(CallerKind Kind, string? UnitId)
{
    public const string RoleClaim = "role";

    public string Role => Kind switch
    {
        CallerKind.Office => "office",
        CallerKind.Viewer => "viewer",
        CallerKind.Department => $"department:{UnitId}",
        _ => $"street:{UnitId}",
    };

    public static Caller? Parse(string? role) => role switch
    {
        "office" => new Caller(CallerKind.Office, null),
        "viewer" => new Caller(CallerKind.Viewer, null),
        { } r when r.StartsWith("department:", StringComparison.Ordinal) && r.Length > 11 => new Caller(CallerKind.Department, r[11..]),
        { } r when r.StartsWith("street:", StringComparison.Ordinal) && r.Length > 7 => new Caller(CallerKind.Street, r[7..]),
        _ => null,
    };

    public static Caller? From(ClaimsPrincipal user) => Parse(user.FindFirst(RoleClaim)?.Value);

    /// <summary>
    /// A street reports only its own assignments; a department only the district-level assignments of the tasks it
    /// leads; the office may report anything; a viewer nothing.
    /// </summary>
    public bool MayReport(PlanTask task, string unitId) => Kind switch
    {
        CallerKind.Office => true,
        CallerKind.Street => unitId == UnitId,
        CallerKind.Department => unitId == PlanUnits.District && task.LeadDepartment == UnitId,
        _ => false,
    };

    /// <summary>Schedules may be set by the assignment's owner or by the task's lead department (and the office).</summary>
    public bool MaySchedule(PlanTask task, string unitId) => MayReport(task, unitId)
        || (Kind == CallerKind.Department && task.LeadDepartment == UnitId);

    public bool IsOffice => Kind == CallerKind.Office;
}
