using System.Globalization;

namespace Minsheng.Domain.Plans.Generation;

/// <summary>
/// How many plans to generate and how they fall into regions: <c>province</c> is one province of 90 districts,
/// <c>nation</c> 2,800 districts in 31 provinces (≈90 each), a number N that many plans in provinces of at most 90,
/// and <c>gongshu</c> the seed plan alone (nothing generated). Issue 19's three scales of one service.
/// </summary>
public sealed record PlanScale(string Name, int Plans, int Regions)
{
    /// <summary>The districts of one province.</summary>
    public const int DistrictsPerProvince = 90;

    public static PlanScale Gongshu { get; } = new("gongshu", 0, 0);
    public static PlanScale Province { get; } = new("province", DistrictsPerProvince, 1);
    public static PlanScale Nation { get; } = new("nation", 2_800, 31);

    /// <summary>True for <c>gongshu</c>: the seed plan is used as it is.</summary>
    public bool IsSeedOnly => Plans == 0;

    /// <summary>A scale by name (<c>gongshu</c>, <c>province</c>, <c>nation</c>) or by a positive number of plans; null otherwise.</summary>
    public static PlanScale? Parse(string text) => text switch
    {
        "gongshu" => Gongshu,
        "province" => Province,
        "nation" => Nation,
        _ when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 100_000 =>
            new PlanScale(text, n, (n + DistrictsPerProvince - 1) / DistrictsPerProvince),
        _ => null,
    };

    /// <summary>
    /// The slot of every plan: plans dealt to the regions in turn, so the regions differ by at most one plan
    /// (nation: 10 provinces of 91 and 21 of 90).
    /// </summary>
    public IReadOnlyList<PlanSlot> Slots()
    {
        var regions = Enumerable.Range(1, Regions).Select(Region).ToList();
        var counts = new int[Regions];
        var slots = new List<PlanSlot>(Plans);
        for (var ordinal = 0; ordinal < Plans; ordinal++)
        {
            var r = ordinal % Regions;
            slots.Add(new PlanSlot(ordinal, regions[r], ++counts[r]));
        }
        return slots;
    }

    /// <summary>The n-th region (1-based): <c>province-07</c>, 第7省.</summary>
    public static NamedUnit Region(int number) =>
        new(string.Create(CultureInfo.InvariantCulture, $"province-{number:00}"), string.Create(CultureInfo.InvariantCulture, $"第{number}省"));
}
