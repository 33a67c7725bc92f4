using System.Text.Json.Nodes;
using Minsheng.Domain.Limits;
using Minsheng.Grains.Audit;

namespace Minsheng.Persistence.Audit;

/// <summary>
/// Makes an audit line storable whatever a refused request held: PostgreSQL refuses NUL in <c>text</c> and in
/// <c>jsonb</c>, and control characters forge log lines. Accepted writes never hold them (every body is checked); a
/// refusal records what was tried, escaped (<c>\u0000</c>), so refusing it can never fail.
/// </summary>
internal static class AuditText
{
    public static AuditEntry Escape(AuditEntry e) => e with
    {
        Actor = TextRules.Escape(e.Actor),
        Person = e.Person is null ? null : TextRules.Escape(e.Person),
        PlanId = Clean(e.PlanId),
        ReportId = Clean(e.ReportId),
        TaskId = Clean(e.TaskId),
        UnitId = Clean(e.UnitId),
        MetricId = Clean(e.MetricId),
        Detail = e.Detail is null ? null : (JsonObject)Escape(e.Detail.DeepClone())!,
    };

    private static string? Clean(string? value) => value is null ? null : TextRules.Escape(value);

    private static JsonNode? Escape(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o.ToList())
                {
                    o.Remove(key);
                    copy[TextRules.Escape(key)] = Escape(value);
                }
                return copy;
            case JsonArray a:
                return new JsonArray(a.ToList().Select(item => { a.Remove(item); return Escape(item); }).ToArray());
            case JsonValue v when v.TryGetValue<string>(out var text):
                return JsonValue.Create(TextRules.Escape(text));
            default:
                return node;
        }
    }
}
