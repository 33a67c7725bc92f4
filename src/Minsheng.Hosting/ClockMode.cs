using System.Text.Json.Serialization;

namespace Minsheng.Hosting;

/// <summary>
/// Which clock the business rules read, as <c>Minsheng:Clock:Mode</c> and <c>GET /api/v1/admin/clock</c> name it
/// (listed in the document's order; <see cref="System"/> stays the default value).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClockMode>))]
public enum ClockMode
{
    [JsonStringEnumMemberName("Simulated")] Simulated = 1,
    [JsonStringEnumMemberName("System")] System = 0,
}
