using System.Text.Json.Serialization;

namespace Minsheng.Grains.ReportLog;

/// <summary>What a report-log row records; its wire name is the text of the row's <c>kind</c> column.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogKind>))]
public enum LogKind
{
    [JsonStringEnumMemberName("report")] Report,
    [JsonStringEnumMemberName("schedule")] Schedule,
}
