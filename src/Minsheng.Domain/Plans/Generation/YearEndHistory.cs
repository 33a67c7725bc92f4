namespace Minsheng.Domain.Plans.Generation;

/// <summary>
/// One generated history row of an assignment metric: the report that made version <see cref="Version"/>, counting
/// <see cref="Completed"/> from <see cref="Previous"/> (the prior row's count, 0 before the first) at <see cref="At"/>,
/// owned by <see cref="Owner"/> (the street, or for 区本级 the task's lead department). <see cref="DoneAt"/> is when the
/// count first reached the target, as the fact after the row carries it.
/// </summary>
public sealed record HistoryRow(
    PlanTask Task, Assignment Assignment, OwnerRef Owner, long Version, long Completed, long Previous, DateTimeOffset At, DateTimeOffset? DoneAt);

/// <summary>
/// A year of reports for every assignment of a plan, as its log would hold them by year end (issue 19 asks ≈50 rows
/// per assignment): per assignment metric a gapless chain of versions 1..n, counts never falling, stamps rising
/// through the year from the start to the day before the deadline. Most assignments end at their target, about one
/// in five short of it, so a generated year has done and unfinished cells. Deterministic per seed and plan id.
/// </summary>
public static class YearEndHistory
{
    /// <summary>The most rows per assignment: each gets its own stretch of the year, which must stay seconds long.</summary>
    public const int MaxRowsPerAssignment = 1_000;

    /// <summary>The plan's rows in the order its log would have accepted them (by stamp; a chain's versions in order).</summary>
    public static IReadOnlyList<HistoryRow> Of(Plan plan, int rowsPerAssignment, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerAssignment, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowsPerAssignment, MaxRowsPerAssignment);
        var random = new Random(PlanGenerator.Mix(seed, StableHash(plan.Id)));
        var offset = plan.Deadline.Offset;
        var first = new DateTimeOffset(plan.Start.ToDateTime(new TimeOnly(9, 0)), offset);
        var last = plan.Deadline.AddDays(-1);
        var slot = (last - first) / rowsPerAssignment;

        var rows = new List<HistoryRow>(plan.Tasks.Sum(t => t.Assignments.Count) * rowsPerAssignment);
        foreach (var task in plan.Tasks)
        foreach (var assignment in task.Assignments)
        {
            var owner = PlanIndex.OwnerOf(task, assignment.UnitId);
            var final = random.Next(5) == 0 ? (long)(assignment.Target * random.NextDouble()) : assignment.Target;
            var previous = 0L;
            DateTimeOffset? doneAt = null;
            for (var version = 1; version <= rowsPerAssignment; version++)
            {
                // Within its own slot of the year, so stamps rise strictly along the chain.
                var at = first + slot * (version - 1) + slot * (0.9 * random.NextDouble());
                at = new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, offset);
                var completed = final * version / rowsPerAssignment;
                if (completed >= assignment.Target) doneAt ??= at;
                rows.Add(new HistoryRow(task, assignment, owner, version, completed, previous, at, doneAt));
                previous = completed;
            }
        }

        // A stable sort: rows of one chain stamped alike keep their version order.
        return rows.OrderBy(r => r.At).ToList();
    }

    /// <summary>FNV-1a of the plan id: a hash that is the same in every process (string.GetHashCode is not).</summary>
    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var c in text) hash = (hash ^ c) * 16777619u;
            return (int)(hash & 0x7FFFFFFF);
        }
    }
}
