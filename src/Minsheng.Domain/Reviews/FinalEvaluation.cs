using System.ComponentModel.DataAnnotations;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// The year-end 综合考评 input (after the final deadline): per street and lead department its final completion, the
/// mean of its monthly scores and its case record, ranked. Rows in rank order.
/// </summary>
public sealed record FinalEvaluation(
    string PlanId,
    DateTimeOffset EvaluatedAt,
    FinalEvaluationOptions Options,
    IReadOnlyList<FinalRow> Streets,
    IReadOnlyList<FinalRow> Departments);

/// <summary>
/// One unit at year end. Assignments are (task, unit) pairs: a street's own; a department's, every assignment of the
/// tasks it leads. <see cref="DoneOnTime"/>: every metric reached its target by the deadline; <see cref="DoneLate"/>:
/// by the final deadline (12月查漏补缺); <see cref="NotDone"/>: the rest.
/// <see cref="Completion"/> = (DoneOnTime + LateCredit × DoneLate) / Assignments, 4 places.
/// <see cref="MonthlyMean"/> = mean of the monthly totals given, 2 places (null with none).
/// Ranked by completion, then monthly mean (exact values), ties sharing a rank.
/// </summary>
public sealed record FinalRow(
    string Id,
    string Name,
    decimal Ratio,
    int Assignments,
    int DoneOnTime,
    int DoneLate,
    int NotDone,
    decimal Completion,
    int MonthsCounted,
    decimal? MonthlyMean,
    int CasesOpened,
    int CasesClosed,
    int CasesStillOpen,
    int Rank);

/// <summary>Settings of the year-end input (configuration section <see cref="Section"/>).</summary>
public sealed record FinalEvaluationOptions
{
    public const string Section = "Minsheng:Reviews:Final";

    /// <summary>What an assignment done late (in December) counts for, against 1 for one done on time.</summary>
    [Required] public decimal LateCredit { get; init; } = 0.5m;

    public static FinalEvaluationOptions Default { get; } = new();
}
