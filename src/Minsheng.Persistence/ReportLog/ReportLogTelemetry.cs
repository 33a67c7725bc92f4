using System.Diagnostics;

namespace Minsheng.Persistence.ReportLog;

/// <summary>The report log's activity source (<c>Minsheng.ReportLog</c>): one span per group-commit write.</summary>
public static class ReportLogTelemetry
{
    public const string SourceName = "Minsheng.ReportLog";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts the span of one batch write, parented to the first caller that had a span and linked to all of them;
    /// null when nobody listens.
    /// </summary>
    public static Activity? StartWrite(IEnumerable<ActivityContext?> callers, int rows)
    {
        if (!Source.HasListeners()) return null;
        var contexts = callers.OfType<ActivityContext>().ToList();
        var parent = contexts.Count > 0 ? contexts[0] : default;
        var activity = Source.StartActivity("report-log write", ActivityKind.Internal, parent,
            links: contexts.Select(c => new ActivityLink(c)));
        activity?.SetTag("minsheng.report_log.rows", rows);
        activity?.SetTag("db.system.name", "postgresql");
        return activity;
    }
}
