using Minsheng.Domain.Plans;

namespace Minsheng.Exports.Tests;

/// <summary>The checked-in gongshu-2024 plan, found from the repository root.</summary>
internal static class Gongshu
{
    public static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    public static PlanIndex Plan { get; } = new(PlanLoader.LoadDirectory(RepoPaths.Seeds).Single(p => p.Id == "gongshu-2024"));
}
