namespace Minsheng.Domain.Plans;

/// <summary>The plans this service runs, by id. Loaded once at start from the plan files.</summary>
public sealed class PlanCatalog
{
    private readonly Dictionary<string, PlanIndex> _plans;

    public PlanCatalog(IEnumerable<Plan> plans)
    {
        _plans = plans.Select(p => new PlanIndex(p)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        Plans = _plans.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<PlanIndex> Plans { get; }

    public PlanIndex? Find(string planId) => _plans.GetValueOrDefault(planId);

    /// <summary>True when some loaded plan has this street (roles name units of the plans, nothing else).</summary>
    public bool HasStreet(string streetId) => Plans.Any(p => p.IsStreet(streetId));

    /// <summary>True when some loaded plan has this department.</summary>
    public bool HasDepartment(string departmentId) => Plans.Any(p => p.IsDepartment(departmentId));

    /// <summary>
    /// True when a plan of <paramref name="districtId"/> has this street: a unit's token names its district, and a
    /// street id means something only inside one district (two districts may both have a <c>tianshui</c>).
    /// </summary>
    public bool HasStreet(string districtId, string streetId) => Plans.Any(p => p.Plan.DistrictId == districtId && p.IsStreet(streetId));

    /// <summary>True when a plan of <paramref name="districtId"/> has this department.</summary>
    public bool HasDepartment(string districtId, string departmentId) => Plans.Any(p => p.Plan.DistrictId == districtId && p.IsDepartment(departmentId));

    /// <summary>The districts whose plans have this street (or department), ordered by id: the token command fills in the one there is.</summary>
    public IReadOnlyList<string> DistrictsWithUnit(string unitId, bool department) =>
        Plans.Where(p => department ? p.IsDepartment(unitId) : p.IsStreet(unitId))
            .Select(p => p.Plan.DistrictId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The regions the plans name, ordered by id, each with its plans (ordered by id). A region's name is the one its
    /// first plan file gives (plan files of one region are expected to agree).
    /// </summary>
    public IReadOnlyList<RegionPlans> Regions =>
        _regions ??= Plans.Where(p => p.Plan.Region is not null)
            .GroupBy(p => p.Plan.Region!.Id, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RegionPlans(g.First().Plan.Region!, g.ToList()))
            .ToList();

    private IReadOnlyList<RegionPlans>? _regions;

    /// <summary>The region with this id, or null when no loaded plan names it.</summary>
    public RegionPlans? FindRegion(string regionId) => Regions.FirstOrDefault(r => r.Region.Id == regionId);

    public PlanIndex Get(string planId) =>
        Find(planId) ?? throw new KeyNotFoundException($"No plan '{planId}' is loaded.");
}

/// <summary>A region (a city or a province) and the loaded plans of its districts.</summary>
public sealed record RegionPlans(NamedUnit Region, IReadOnlyList<PlanIndex> Plans);
