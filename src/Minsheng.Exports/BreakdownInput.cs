using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;

namespace Minsheng.Exports;

/// <summary>
/// What the breakdown table (任务分解表, attachment 2) shows in each cell: an assignment metric's completed count,
/// target and wire status, as of <see cref="AsOf"/>. Assignments missing from <see cref="Cells"/> show 0 done.
/// </summary>
public sealed record BreakdownInput(PlanIndex Plan, DateTimeOffset AsOf, IReadOnlyDictionary<AssignmentKey, BreakdownCell> Cells)
{
    /// <summary>Builds the cells from facts with the contract's statuses (the same as the rollup views).</summary>
    public static BreakdownInput From(PlanIndex plan, IReadOnlyDictionary<AssignmentKey, ProgressFact> facts, DateTimeOffset asOf, decimal lagTolerance)
    {
        var calculator = new RollupCalculator(plan, facts, asOf, lagTolerance);
        var cells = plan.AllAssignments.ToDictionary(a => a.Key, a =>
        {
            var view = calculator.View(a);
            return new BreakdownCell(view.Completed, view.Target, view.Status);
        });
        return new BreakdownInput(plan, asOf, cells);
    }
}

/// <summary>One cell of the breakdown table: completed / target and the status that colours it.</summary>
public sealed record BreakdownCell(long Completed, long Target, AssignmentStatus Status);
