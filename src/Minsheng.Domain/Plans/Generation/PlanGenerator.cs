using System.Globalization;

namespace Minsheng.Domain.Plans.Generation;

/// <summary>
/// Makes plans of gongshu-2024's shape for the scale runs of issue 19 (a province of 90 districts, a nation of 2,800):
/// 10 projects, the same 22 tasks (task 5.2 with two metrics), 8 departments, 4 leaders, 10–30 streets per plan drawn
/// by a seeded random, each task reaching gongshu's share of the streets and, where gongshu's did, the district level.
/// The same seed and slot always give the same plan (<see cref="Random(int)"/> with a seed is stable across runs and
/// runtimes), and every plan passes <see cref="PlanValidator"/>. Street ids (<c>street-07</c>) and department ids recur
/// across districts, as real ones may: a unit is known by its district, not by its id alone.
/// </summary>
public static class PlanGenerator
{
    public const int Year = 2024;
    public const int MinStreets = 10;
    public const int MaxStreets = 30;
    private const int Leaders = 4;
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>The names of a two-metric task's metrics (gongshu's 5.2: screenings and health guidance).</summary>
    private static readonly Dictionary<string, string> MetricNames = new(StringComparer.Ordinal) { ["screening"] = "筛查", ["guidance"] = "健康指导" };

    /// <summary>All plans of a scale (none for <c>gongshu</c>, which is the seed plan itself).</summary>
    public static IEnumerable<Plan> Generate(int seed, PlanScale scale) => scale.Slots().Select(slot => Generate(seed, slot));

    /// <summary>The plan of one slot.</summary>
    public static Plan Generate(int seed, PlanSlot slot)
    {
        var random = new Random(Mix(seed, slot.Ordinal));
        var n = slot.NumberInRegion;
        var district = new NamedUnit(Invariant($"{slot.Region.Id}-d{n:000}"), Invariant($"{slot.Region.Name}第{n}区"));
        var streets = Streets(random);
        var departments = GeneratedNames.Departments;
        var leaders = Enumerable.Range(1, Leaders).Select(i => new NamedUnit(Invariant($"leader-{i}"), GeneratedNames.Person(random))).ToList();

        var tasks = new List<PlanTask>();
        var perProject = new Dictionary<int, int>();
        foreach (var template in TaskTemplate.Gongshu)
        {
            var number = perProject[template.Project] = perProject.GetValueOrDefault(template.Project) + 1;
            tasks.Add(Task(random, template, Invariant($"{template.Project}.{number}"), streets, departments));
        }

        var projects = Enumerable.Range(1, TaskTemplate.Projects)
            .Select(p => Project(random, p, tasks.Where(t => t.ProjectId == Invariant($"{p}")).ToList(), leaders))
            .ToList();
        return new Plan(
            Id: Invariant($"gen-{slot.Region.Id}-{n:0000}-{Year}"),
            Title: Invariant($"{Year}年{district.Name}政府民生实事项目"),
            Year: Year,
            Start: new DateOnly(Year, 2, 28),
            Deadline: new DateTimeOffset(Year, 11, 30, 23, 59, 59, ChinaOffset),
            FinalDeadline: new DateTimeOffset(Year, 12, 31, 23, 59, 59, ChinaOffset),
            Streets: streets,
            Departments: departments,
            Leaders: leaders,
            Projects: projects,
            Tasks: tasks,
            District: district,
            Region: slot.Region);
    }

    private static List<NamedUnit> Streets(Random random)
    {
        var count = random.Next(MinStreets, MaxStreets + 1);
        var names = GeneratedNames.Places(random, count);
        return names.Select((name, i) => new NamedUnit(Invariant($"street-{i + 1:00}"), name + "街道")).ToList();
    }

    private static PlanTask Task(Random random, TaskTemplate template, string id, List<NamedUnit> streets, IReadOnlyList<NamedUnit> departments)
    {
        var lead = departments[random.Next(departments.Count)].Id;
        var reached = template.StreetsOf18 == 0 ? 0
            : Math.Clamp((int)Math.Round(template.StreetsOf18 * streets.Count / 18.0, MidpointRounding.AwayFromZero), 1, streets.Count);
        var picked = streets.Select((s, i) => (s.Id, i)).ToArray();
        random.Shuffle(picked);
        var units = picked.Take(reached).OrderBy(p => p.i).Select(p => p.Id).ToList();
        if (template.District) units.Add(PlanUnits.District);

        var assignments = new List<Assignment>();
        var metrics = new List<Metric>();
        foreach (var metricId in template.Metrics)
        {
            var shares = units.Select(u => new Assignment(u, metricId, Target(random, template.TypicalTarget))).ToList();
            var total = shares.Sum(a => a.Target);
            var name = template.Metrics.Length == 1 ? Invariant($"完成{total}{template.Unit}（任务{id}）") : Invariant($"{MetricNames.GetValueOrDefault(metricId, metricId)}{total}{template.Unit}");
            metrics.Add(new Metric(metricId, name, template.Unit, total));
            assignments.AddRange(shares);
        }

        var title = template.Metrics.Length == 1 ? metrics[0].Name : Invariant($"任务{id}：") + string.Join("，", metrics.Select(m => m.Name));
        return new PlanTask(id, id[..id.IndexOf('.', StringComparison.Ordinal)], title, lead, metrics, assignments);
    }

    private static Project Project(Random random, int number, List<PlanTask> tasks, List<NamedUnit> leaders)
    {
        var theme = GeneratedNames.ProjectThemes[number - 1];
        var shuffled = leaders.Select(l => l.Id).ToArray();
        random.Shuffle(shuffled);
        var chosen = shuffled.Take(random.Next(1, 4)).ToHashSet();
        return new Project(
            Id: Invariant($"{number}"),
            Name: $"“{theme}”项目",
            Summary: string.Join("；", tasks.Select(t => t.Title)) + "。",
            Leaders: leaders.Select(l => l.Id).Where(chosen.Contains).ToList(),
            LeadDepartments: tasks.Select(t => t.LeadDepartment).Distinct().ToList(),
            ResponsibleUnits: ["相关街道"],
            Tasks: tasks.Select(t => t.Id).ToList());
    }

    /// <summary>A unit's share: around the template's typical target, at least 1.</summary>
    private static long Target(Random random, int typical)
    {
        var low = Math.Max(1, typical / 2);
        var high = Math.Max(low + 1, typical * 3 / 2);
        return random.Next(low, high + 1);
    }

    /// <summary>A plan's own seed from the run's seed and its ordinal (a fixed integer mix: no process-randomized hash).</summary>
    internal static int Mix(int seed, int ordinal)
    {
        unchecked
        {
            var x = (uint)seed * 0x9E3779B1u ^ ((uint)ordinal + 0x7F4A7C15u) * 0x85EBCA6Bu;
            x ^= x >> 16;
            x *= 0x7FEB352Du;
            x ^= x >> 15;
            return (int)(x & 0x7FFFFFFF);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
