using System.Text.Json.Serialization;

namespace Minsheng.Domain.Forecasts;

/// <summary>How a forecast was made (see <see cref="ForecastRules"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ForecastMethod>))]
public enum ForecastMethod
{
    /// <summary>Too little data: no forecast (the reason says why).</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>Already done: the expected date is when it was done.</summary>
    [JsonStringEnumMemberName("done")] Done,

    /// <summary>The pace of the recent window (<see cref="ForecastRules.Window"/>).</summary>
    [JsonStringEnumMemberName("recentRate")] RecentRate,

    /// <summary>The pace since the plan's start: the history does not yet span a whole recent window.</summary>
    [JsonStringEnumMemberName("overallRate")] OverallRate,

    /// <summary>Several parts (an assignment's metrics, a unit's or task's assignments): when the last of them is done.</summary>
    [JsonStringEnumMemberName("lastOfParts")] LastOfParts,
}
