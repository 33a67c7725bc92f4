namespace Minsheng.Domain.Plans;

/// <summary>
/// The plans this service runs, by id. Loaded once at start from the plan files. Every lookup a request makes (a plan,
/// a unit of a district, a district's or a region's plans) is a dictionary lookup built here, never a walk over the
/// plans, so a request costs the same at one plan and at thousands.
/// </summary>
public sealed class PlanCatalog
{
    private readonly Dictionary<string, PlanIndex> _plans;
    private readonly Dictionary<(bool Department, string UnitId), string[]> _districtsByUnit;
    private readonly HashSet<(bool Department, string DistrictId, string UnitId)> _unitsOfDistricts;
    private readonly Dictionary<string, PlanIndex[]> _plansByDistrict;

    public PlanCatalog(IEnumerable<Plan> plans)
    {
        _plans = plans.Select(p => new PlanIndex(p)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        Plans = _plans.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var units = Plans.SelectMany(p => p.Plan.Streets.Select(s => (Department: false, p.Plan.DistrictId, UnitId: s.Id))
            .Concat(p.Plan.Departments.Select(d => (Department: true, p.Plan.DistrictId, UnitId: d.Id)))).ToList();
        _unitsOfDistricts = units.ToHashSet();
        _districtsByUnit = units.GroupBy(u => (u.Department, u.UnitId))
            .ToDictionary(g => g.Key, g => g.Select(u => u.DistrictId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
        _plansByDistrict = Plans.GroupBy(p => p.Plan.DistrictId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _regionsById = Regions.ToDictionary(r => r.Region.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<PlanIndex> Plans { get; }

    public PlanIndex? Find(string planId) => _plans.GetValueOrDefault(planId);

    /// <summary>The plans of one district, ordered by id (none for an unknown district).</summary>
    public IReadOnlyList<PlanIndex> PlansOf(string districtId) => _plansByDistrict.GetValueOrDefault(districtId) ?? [];

    /// <summary>True when some loaded plan has this street (roles name units of the plans, nothing else).</summary>
    public bool HasStreet(string streetId) => _districtsByUnit.ContainsKey((false, streetId));

    /// <summary>True when some loaded plan has this department.</summary>
    public bool HasDepartment(string departmentId) => _districtsByUnit.ContainsKey((true, departmentId));

    /// <summary>
    /// True when a plan of <paramref name="districtId"/> has this street: a unit's token names its district, and a
    /// street id means something only inside one district (two districts may both have a <c>tianshui</c>).
    /// </summary>
    public bool HasStreet(string districtId, string streetId) => _unitsOfDistricts.Contains((false, districtId, streetId));

    /// <summary>True when a plan of <paramref name="districtId"/> has this department.</summary>
    public bool HasDepartment(string districtId, string departmentId) => _unitsOfDistricts.Contains((true, districtId, departmentId));

    /// <summary>The districts whose plans have this street (or department), ordered by id: the token command fills in the one there is.</summary>
    public IReadOnlyList<string> DistrictsWithUnit(string unitId, bool department) => _districtsByUnit.GetValueOrDefault((department, unitId)) ?? [];

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

    private readonly Dictionary<string, RegionPlans> _regionsById;

    /// <summary>The region with this id, or null when no loaded plan names it.</summary>
    public RegionPlans? FindRegion(string regionId) => _regionsById.GetValueOrDefault(regionId);

    public PlanIndex Get(string planId) =>
        Find(planId) ?? throw new KeyNotFoundException($"No plan '{planId}' is loaded.");
}

/// <summary>A region (a city or a province) and the loaded plans of its districts.</summary>
public sealed record RegionPlans(NamedUnit Region, IReadOnlyList<PlanIndex> Plans);
