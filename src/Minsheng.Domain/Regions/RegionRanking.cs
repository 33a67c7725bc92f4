using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;

namespace Minsheng.Domain.Regions;

/// <summary>One plan of a region as its ranking needs it: the plan's exact ratio and its assignments' status counts.</summary>
public sealed record RegionPlanFigures(string PlanId, string Title, Fraction Ratio, StatusCounts Counts);

/// <summary>One line of a region's ranking.</summary>
public sealed record RankedPlan(string PlanId, string Title, decimal Ratio, int Rank, StatusCounts Counts);

/// <summary>
/// Ranks a region's plans by their plan ratio, highest first. The rule is the weekly 晾晒's: ranked by the exact ratio
/// (a fraction, never its rounding), so the order never depends on the six decimal places the API shows; equal exact
/// ratios share a rank (standard competition ranking: 1, 2, 2, 4) and are listed by plan id.
/// </summary>
public static class RegionRanking
{
    /// <summary>The plans in rank order, each with its rank and its ratio rounded as every API answer rounds it.</summary>
    public static IReadOnlyList<RankedPlan> Rank(IEnumerable<RegionPlanFigures> plans) =>
        Ranks.Assign(plans, (a, b) => Exact.Compare(b.Ratio, a.Ratio), p => p.PlanId)
            .Select(r => new RankedPlan(r.Row.PlanId, r.Row.Title, r.Row.Ratio.ToDecimal(), r.Rank, r.Row.Counts))
            .ToList();
}
