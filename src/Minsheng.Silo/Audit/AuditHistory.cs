using System.Text.Json.Nodes;
using Minsheng.Grains.Messages;

namespace Minsheng.Silo.Audit;

/// <summary>Maps an accepted report to its audit line and back to the history endpoint's shape.</summary>
public static class AuditHistory
{
    public static AuditEntry FromReport(string planId, HistoryEntry h, string taskId, string unitId) => new(
        h.At, h.By, AuditActions.Report, "accepted", 201, planId, h.ReportId, taskId, unitId, h.MetricId,
        new JsonObject
        {
            ["completed"] = h.Completed,
            ["previous"] = h.Previous,
            ["note"] = h.Note,
            ["evidence"] = new JsonArray(h.Evidence.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
            ["correction"] = h.Correction,
            ["reason"] = h.Reason,
        });

    public static HistoryEntry ToHistoryEntry(AuditEntry e)
    {
        var d = e.Detail ?? [];
        return new HistoryEntry(
            e.ReportId ?? "", e.MetricId ?? "", d["completed"]?.GetValue<long>() ?? 0, d["previous"]?.GetValue<long>() ?? 0, e.At, e.Actor,
            d["note"]?.GetValue<string>(), d["evidence"]?.AsArray().Select(x => x!.GetValue<string>()).ToList() ?? [],
            d["correction"]?.GetValue<bool>() ?? false, d["reason"]?.GetValue<string>());
    }
}
