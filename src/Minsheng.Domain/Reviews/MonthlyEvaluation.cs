namespace Minsheng.Domain.Reviews;

/// <summary>
/// One monthly 评估 (<c>GET .../evaluations/{yyyy-MM}</c>): a score out of 100 for every street and lead department,
/// with its parts, judged at <see cref="EvaluatedAt"/> (the month's last second). Rows in rank order.
/// </summary>
public sealed record MonthlyEvaluation(
    string PlanId,
    string Month,
    DateTimeOffset EvaluatedAt,
    MonthlyEvaluationOptions Weights,
    IReadOnlyList<MonthlyScore> Streets,
    IReadOnlyList<MonthlyScore> Departments);

/// <summary>
/// A unit's monthly score and the inputs of each part, so every number can be recomputed by hand:
/// <list type="bullet">
/// <item><see cref="Progress"/> = ProgressWeight × min(1, <see cref="Ratio"/> / <see cref="Expected"/>), full when nothing is due;</item>
/// <item><see cref="Cases"/> = CaseWeight × <see cref="CaseChecksMet"/> / (3 × <see cref="CasesCounted"/>), full with no case;</item>
/// <item><see cref="Reporting"/> = ReportingWeight × (<see cref="WeeksCounted"/> − <see cref="SilentWeeks"/>) / <see cref="WeeksCounted"/>, full with no week;</item>
/// <item><see cref="Subtotal"/> = the three parts as rounded (2 places), summed;</item>
/// <item><see cref="Penalty"/> = min(MaxLastPlacePenalty, LastPlacePenalty × <see cref="LastPlaceStreak"/>) when <see cref="LastPlace"/>;</item>
/// <item><see cref="Total"/> = max(0, Subtotal − Penalty).</item>
/// </list>
/// </summary>
public sealed record MonthlyScore(
    string Id,
    string Name,
    decimal Ratio,
    decimal Expected,
    decimal Progress,
    int CasesCounted,
    int CaseChecksMet,
    decimal Cases,
    int WeeksCounted,
    int SilentWeeks,
    decimal Reporting,
    decimal Subtotal,
    bool LastPlace,
    int LastPlaceStreak,
    decimal Penalty,
    decimal Total,
    int Rank);
