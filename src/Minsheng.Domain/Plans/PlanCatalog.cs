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

    public PlanIndex Get(string planId) =>
        Find(planId) ?? throw new KeyNotFoundException($"No plan '{planId}' is loaded.");
}
