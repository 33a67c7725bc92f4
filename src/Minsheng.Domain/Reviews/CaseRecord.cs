using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// Judges a unit's cases (个案督办) as they stood at an instant. Each case counted earns three checks: answered on
/// time, closed on time, not reopened. Only what had happened by the instant counts, so a later answer or closing
/// never changes a month already judged.
/// </summary>
public sealed class CaseRecord(PlanIndex plan, PlanTimeline timeline, MonthlyEvaluationOptions options)
{
    /// <summary>
    /// The cases a unit answers for: a street's, on its own assignments; a department's, on every assignment of the
    /// tasks it leads (cases are addressed to the lead department, which answers them).
    /// </summary>
    public IEnumerable<SupervisionCase> CasesOf(OwnerRef unit, IEnumerable<SupervisionCase> cases) => unit.Kind == OwnerKind.Street
        ? cases.Where(c => c.UnitId == unit.Id)
        : cases.Where(c => plan.FindTask(c.TaskId)?.LeadDepartment == unit.Id);

    /// <summary>
    /// Checks met and cases counted in (<paramref name="from"/>, <paramref name="upTo"/>]: a case counts when it was
    /// opened by <paramref name="upTo"/> and not closed before <paramref name="from"/>.
    /// </summary>
    public (int Counted, int ChecksMet) Judge(IReadOnlyList<SupervisionCase> unitCases, DateTimeOffset from, DateTimeOffset upTo)
    {
        int counted = 0, met = 0;
        foreach (var c in unitCases)
        {
            var closedAt = c.ClosedAt is { } t && t <= upTo ? t : (DateTimeOffset?)null;
            if (c.OpenedAt > upTo || closedAt < from) continue;
            counted++;
            if (AnsweredOnTime(c, upTo)) met++;
            if (ClosedOnTime(c, closedAt, upTo)) met++;
            if (!Reopened(c, closedAt, unitCases, upTo)) met++;
        }
        return (counted, met);
    }

    /// <summary>The first answer came within the answer days; a case still inside them is not yet late.</summary>
    private bool AnsweredOnTime(SupervisionCase c, DateTimeOffset upTo)
    {
        var due = c.OpenedAt.AddDays(options.CaseAnswerDays);
        var first = c.Responses.Where(r => r.At <= upTo).OrderBy(r => r.At).FirstOrDefault();
        return first is not null ? first.At <= due : due > upTo;
    }

    /// <summary>
    /// Closed by the end of the date its latest answer promised, or without an answer within the close days; a case
    /// not yet closed whose due instant is still ahead is not yet late.
    /// </summary>
    private bool ClosedOnTime(SupervisionCase c, DateTimeOffset? closedAt, DateTimeOffset upTo)
    {
        var promise = c.Responses.Where(r => r.At <= upTo).OrderBy(r => r.At).LastOrDefault();
        var due = promise is not null ? timeline.EndOf(promise.PromisedDate) : c.OpenedAt.AddDays(options.CaseCloseDays);
        return closedAt is { } t ? t <= due : due > upTo;
    }

    /// <summary>Reopened: closed, then another case on the same assignment opened after it (by the instant).</summary>
    private static bool Reopened(SupervisionCase c, DateTimeOffset? closedAt, IReadOnlyList<SupervisionCase> unitCases, DateTimeOffset upTo) =>
        closedAt is { } t && unitCases.Any(o => o.Id != c.Id && o.TaskId == c.TaskId && o.UnitId == c.UnitId && o.OpenedAt > t && o.OpenedAt <= upTo);
}
