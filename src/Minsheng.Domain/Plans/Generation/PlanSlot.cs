namespace Minsheng.Domain.Plans.Generation;

/// <summary>
/// Where a generated plan stands: its place among all generated plans (<see cref="Ordinal"/>, 0-based, what its
/// random draws start from), its region and its number inside the region (1-based, in its id and its district's).
/// </summary>
public sealed record PlanSlot(int Ordinal, NamedUnit Region, int NumberInRegion);
