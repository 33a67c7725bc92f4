using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Supervision;

/// <summary>
/// One assignment as supervision judges it, with the texts its book is keyed by worked out once per plan rather than
/// at every checkpoint (a year of daily checkpoints judges each assignment hundreds of times).
/// </summary>
internal sealed class SupervisionRow(AssignmentRef assignment, int group)
{
    private readonly string[] _alertKeys = Enum.GetValues<AlertKind>()
        .Select(k => $"{assignment.Key}/{k.WireName()}").ToArray();

    public AssignmentRef Ref { get; } = assignment;

    public AssignmentKey Key { get; } = assignment.Key;

    /// <summary>"task/unit/metric": the key of the book's statuses.</summary>
    public string KeyText { get; } = assignment.Key.ToString();

    /// <summary>The (task, unit) group this assignment belongs to: an index into <see cref="SupervisionRows.Groups"/>.</summary>
    public int Group { get; } = group;

    /// <summary>"task/unit/metric/kind": the key of the book's alerts.</summary>
    public string AlertKey(AlertKind kind) => _alertKeys[(int)kind];
}

/// <summary>The assignments of one task at one unit (cases and lagging streaks are kept per group).</summary>
internal sealed record SupervisionGroup(PlanTask Task, string UnitId, string Text, int[] Members);

/// <summary>A plan's assignments and (task, unit) groups in plan order, and a look-up from key to row.</summary>
internal sealed class SupervisionRows
{
    private readonly Dictionary<AssignmentKey, int> _byKey = [];

    public SupervisionRows(PlanIndex plan)
    {
        var groupOf = new Dictionary<(string, string), int>();
        var members = new List<List<int>>();
        var groups = new List<(PlanTask Task, string UnitId)>();
        var rows = new List<SupervisionRow>();
        foreach (var a in plan.AllAssignments)
        {
            var id = (a.Task.Id, a.Assignment.UnitId);
            if (!groupOf.TryGetValue(id, out var g))
            {
                g = groups.Count;
                groupOf[id] = g;
                groups.Add((a.Task, a.Assignment.UnitId));
                members.Add([]);
            }
            members[g].Add(rows.Count);
            _byKey[a.Key] = rows.Count;
            rows.Add(new SupervisionRow(a, g));
        }
        Rows = [.. rows];
        Groups = [.. groups.Select((x, i) => new SupervisionGroup(x.Task, x.UnitId, $"{x.Task.Id}/{x.UnitId}", [.. members[i]]))];
        All = Enumerable.Range(0, Rows.Length).ToArray();
    }

    public SupervisionRow[] Rows { get; }

    public SupervisionGroup[] Groups { get; }

    /// <summary>Every row index, in plan order.</summary>
    public int[] All { get; }

    /// <summary>The rows of these keys that the plan has, in the order given.</summary>
    public List<int> Of(IEnumerable<AssignmentKey> keys) =>
        keys.Select(k => _byKey.TryGetValue(k, out var i) ? i : -1).Where(i => i >= 0).ToList();
}

/// <summary>Which cases a book holds, per "task/unit": built once per pass instead of scanning the cases per group.</summary>
internal sealed class CaseIndex
{
    private readonly HashSet<(string, CaseKind)> _kinds = [];
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);

    public static CaseIndex Of(SupervisionBook book)
    {
        var index = new CaseIndex();
        foreach (var c in book.Cases) index.Add(c);
        return index;
    }

    public void Add(SupervisionCase c)
    {
        var group = $"{c.TaskId}/{c.UnitId}";
        _kinds.Add((group, c.Kind));
        if (c.IsActive) _active.Add(group);
    }

    /// <summary>Whether a case of this kind was ever opened for the group (open or closed): each opens at most once.</summary>
    public bool Has(string group, CaseKind kind) => _kinds.Contains((group, kind));

    public bool AnyActive(string group) => _active.Contains(group);
}
