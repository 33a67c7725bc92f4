namespace Minsheng.Domain.Plans.Generation;

/// <summary>
/// The text of generated plans: Chinese-looking names, so pages, exports and logs of a generated province read like
/// a real one. Not meaningful; only ids matter to the rules.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>Every district has these departments (ids as in gongshu-2024), so their ids recur across districts as they would.</summary>
    public static IReadOnlyList<NamedUnit> Departments { get; } =
    [
        new("civil-affairs", "区民政局"),
        new("education", "区教育局"),
        new("health", "区卫健局"),
        new("culture-tourism-sports", "区文广旅体局"),
        new("disabled-persons-federation", "区残联"),
        new("housing-construction", "区住建局"),
        new("urban-management", "区城管局"),
        new("ecology-environment", "市生态环境局分局"),
    ];

    public static IReadOnlyList<string> ProjectThemes { get; } =
    [
        "老幼融合服务", "文体设施提升", "群众健康守护", "养老助残服务", "重点人群筛查",
        "残疾人关爱", "教育资源扩容", "老旧小区改造", "加装电梯与停车", "城市环境美化",
    ];

    private const string PlaceFirst = "东西南北上下长新和文明康安清永丰兴华石青";
    private const string PlaceSecond = "湖桥塘山林河湾园门港溪坊";
    private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";
    private const string GivenNames = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚";

    /// <summary><paramref name="count"/> distinct two-character place names, drawn without repetition.</summary>
    public static List<string> Places(Random random, int count)
    {
        var all = PlaceFirst.SelectMany(a => PlaceSecond.Select(b => $"{a}{b}")).ToArray();
        random.Shuffle(all);
        return all.Take(count).ToList();
    }

    /// <summary>A person's name: a surname and one or two given characters.</summary>
    public static string Person(Random random)
    {
        var given = random.Next(2) == 0 ? $"{Pick(random, GivenNames)}" : $"{Pick(random, GivenNames)}{Pick(random, GivenNames)}";
        return $"{Pick(random, Surnames)}{given}";
    }

    private static char Pick(Random random, string characters) => characters[random.Next(characters.Length)];
}
