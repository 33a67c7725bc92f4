using System.Text.Json.Serialization;

namespace Minsheng.Domain.Supervision;

/// <summary>
/// What an alert warns of: lagging, a near deadline or a forecast after the deadline at the unit's own pace (黄), or
/// overdue (红).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertKind>))]
public enum AlertKind
{
    [JsonStringEnumMemberName("lagging")] Lagging,
    [JsonStringEnumMemberName("deadlineNear")] DeadlineNear,
    [JsonStringEnumMemberName("overdue")] Overdue,

    /// <summary>
    /// At the weekly check, the assignment's forecast (<see cref="Forecasts.ForecastRules"/>) falls after the deadline
    /// or nowhere at its pace, while it is not done or overdue: a warning that can come before it is lagging.
    /// </summary>
    [JsonStringEnumMemberName("forecastLate")] ForecastLate,
}
