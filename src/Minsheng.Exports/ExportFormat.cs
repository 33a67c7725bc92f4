using System.Text.Json.Serialization;

namespace Minsheng.Exports;

/// <summary>The formats an export comes in, as the <c>format</c> parameter names them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExportFormat>))]
public enum ExportFormat
{
    [JsonStringEnumMemberName("xlsx")] Xlsx,
    [JsonStringEnumMemberName("csv")] Csv,
}
