using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// One weekly 晾晒 (<c>GET .../rankings/weekly/{isoWeek}</c>): streets and lead departments ranked by ratio, the
/// lagging and overdue assignment metrics, and the units that left unfinished assignments without a report that
/// week, and (<see cref="AtRisk"/>) those not yet overdue whose forecast at their own pace falls after the deadline or
/// nowhere (<see cref="Forecasts.ForecastRules"/>; absent from rankings published before forecasts existed). Computed
/// once from the facts as they stood at <see cref="PublishedAt"/> (and a forecast window before); immutable afterwards.
/// </summary>
public sealed record WeeklyRanking(
    string PlanId,
    string Week,
    DateTimeOffset PublishedAt,
    IReadOnlyList<RankedUnit> Streets,
    IReadOnlyList<RankedUnit> Departments,
    IReadOnlyList<AssignmentView> Lagging,
    IReadOnlyList<AssignmentView> Overdue,
    IReadOnlyList<SilentUnit> Silent,
    IReadOnlyList<Forecasts.AssignmentForecast>? AtRisk = null);

/// <summary>
/// A ranking row. <see cref="Ratio"/> and <see cref="Expected"/> (序时进度) are shares rounded to 6 places like every
/// ratio of the API; <see cref="GapPoints"/> = (expected − ratio) × 100, rounded to 4 places, negative when ahead.
/// <see cref="RankChange"/> = last week's rank − this rank (positive: moved up); null in the first week or for a
/// unit last week did not rank.
/// </summary>
public sealed record RankedUnit(
    string Id,
    string Name,
    decimal Ratio,
    decimal Expected,
    decimal GapPoints,
    Light Light,
    int Rank,
    int? RankChange);

/// <summary>
/// A unit (a street, or a department for the 区本级 assignments it owns) with unfinished assignments that received no
/// report during the week: the tasks of those assignments, in plan order.
/// </summary>
public sealed record SilentUnit(string UnitId, IReadOnlyList<string> TaskIds);
