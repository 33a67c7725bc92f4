namespace Minsheng.Domain.Forecasts;

/// <summary>
/// What a forecast of one assignment metric reads: its target, its count now and when it was done (if it is), and its
/// count at the start of the recent window (<paramref name="WindowStartCompleted"/>: null when it had no report by
/// then, so its history is shorter than the window), with whether it was reported at all.
/// </summary>
public sealed record ForecastInput(
    long Target,
    long Completed,
    bool Reported,
    DateTimeOffset? DoneAt,
    long? WindowStartCompleted);
