using System.Text.Json;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;

namespace Minsheng.Persistence.ReportLog;

/// <summary>
/// The parts of a log row that live in its <c>body</c> column: the history line's text, the answer, and for a report
/// approved under sign-off both people and both moments (absent otherwise).
/// </summary>
internal sealed record ReportLogBody(
    string? Note,
    IReadOnlyList<string> Evidence,
    bool Correction,
    string? Reason,
    IReadOnlyList<MilestoneMessage>? Milestones,
    ReportAnswer? Answer,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    SignOffLine? SignOff = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Of(ReportLogEntry e) =>
        JsonSerializer.Serialize(new ReportLogBody(e.Note, e.Evidence, e.Correction, e.Reason, e.Milestones, e.Answer, e.SignOff), Json);

    public static ReportLogBody Parse(string json) => JsonSerializer.Deserialize<ReportLogBody>(json, Json)!;
}
