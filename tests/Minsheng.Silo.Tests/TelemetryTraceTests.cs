using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Minsheng.Silo.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace Minsheng.Silo.Tests;

/// <summary>
/// One report is one trace: with tracing on and the in-memory exporter, the ASP.NET Core span of <c>POST /reports</c>,
/// the Orleans spans of the grain calls, the report log's group-commit span and Npgsql's spans share one TraceId, on a
/// silo on the real PostgreSQL the test script started.
/// </summary>
public sealed class TelemetryTraceTests
{
    private sealed class Host(string connectionString, List<Activity> spans) : SiloHost
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            With("Minsheng:Storage", "Postgres").With("ConnectionStrings:Minsheng", connectionString).With("Minsheng:Telemetry:Traces", "true");
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        }
    }

    [Fact]
    public async Task A_report_is_one_trace_from_the_http_request_through_the_grains_to_the_database_write()
    {
        var spans = new List<Activity>();
        await using var host = new Host(await TestPostgres.CreateDatabase(), spans);
        var street = host.As("street:tianshui");
        // A first report activates the grains (their own start-up spans are not the report's).
        Assert.Equal(201, (await street.PostJson("/api/v1/plans/gongshu-2024/reports", new { reportId = "t-0", taskId = "3.1", unitId = "tianshui", completed = 1 })).Status);

        Assert.Equal(201, (await street.PostJson("/api/v1/plans/gongshu-2024/reports", new { reportId = "t-1", taskId = "3.1", unitId = "tianshui", completed = 2 })).Status);

        Activity[] Snapshot() { lock (spans) return spans.ToArray(); }
        bool IsReportRequest(Activity a) => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server
            && a.GetTagItem("url.path") as string == "/api/v1/plans/gongshu-2024/reports";
        var all = await Poll.Until(() => Task.FromResult(Snapshot()), s => s.Count(IsReportRequest) >= 2, "two report requests among the exported spans");
        var request = all.Where(IsReportRequest).OrderBy(a => a.StartTimeUtc).Last();
        var trace = all.Where(a => a.TraceId == request.TraceId).ToList();
        string Describe() => string.Join("\n", trace.Select(a => $"{a.Source.Name}: {a.DisplayName} ({a.Kind})"));

        Assert.Null(request.ParentId);
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.DisplayName.EndsWith("/Report", StringComparison.Ordinal));
        var write = Assert.Single(trace, a => a.Source.Name == "Minsheng.ReportLog");
        Assert.Contains(write.Links, l => l.Context.TraceId == request.TraceId);
        Assert.True(trace.Any(a => a.Source.Name == "Npgsql" && a.ParentSpanId == write.SpanId), $"no Npgsql span under the write:\n{Describe()}");
        // Every span of the trace hangs from the request: nothing is orphaned into a trace of its own.
        var ids = trace.Select(a => a.SpanId).ToHashSet();
        Assert.All(trace.Where(a => a != request), a => Assert.Contains(a.ParentSpanId, ids));
    }
}
