namespace Minsheng.Domain.Forecasts;

/// <summary>
/// When something is expected to be complete at the pace its unit keeps: the expected instant, a range between the
/// faster and the slower of the paces the method knows, and whether the expected instant falls after the deadline.
/// <see cref="ExpectedDoneAt"/> is null when there is no forecast (<see cref="ForecastMethod.None"/>: too little data)
/// and when the pace is nil (no progress in the window: never, at this pace; then <see cref="AtRisk"/>);
/// <see cref="Reason"/> says which, in Chinese. <see cref="Latest"/> is null when the slower pace is nil.
/// </summary>
public sealed record Forecast(
    DateTimeOffset? ExpectedDoneAt,
    DateTimeOffset? Earliest,
    DateTimeOffset? Latest,
    bool AtRisk,
    ForecastMethod Method,
    string? Reason = null)
{
    public static Forecast NoData(string reason) => new(null, null, null, false, ForecastMethod.None, reason);
}
