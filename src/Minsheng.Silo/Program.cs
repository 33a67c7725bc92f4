using Minsheng.Cli;
using Minsheng.Demo;
using Minsheng.Silo.Api;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Auth;
using Minsheng.Silo.Evidence;
using Minsheng.Silo.Health;
using Minsheng.Silo.Hosting;
using Minsheng.Silo.Live;
using Minsheng.Silo.Notifications;
using Minsheng.Silo.OpenApi;
using Minsheng.Silo.ReportLog;

if (await MinshengCommandLine.TryRunAsync(args) is { } exitCode) return exitCode;

var builder = WebApplication.CreateBuilder(DemoSetup.RewriteArgs(args));
builder.AddShutdownTimeout();
builder.AddPlanCatalog();
if (!builder.AddDemoMode()) return 2;
builder.Services.AddSingleton<IDemoLead, Minsheng.Silo.Hosting.ClusterDemoLead>();
builder.AddBusinessClock();
builder.AddMinshengOrleans();
builder.AddMinshengTelemetry();
builder.AddPostgresDataSource();
builder.AddMinshengAuth();
builder.AddViewerSignInLink();
builder.AddAuditLog();
builder.AddReportLog();
builder.AddReviewSettings();
builder.AddEvidence();
builder.AddNotifications();
builder.AddMinshengApi();
builder.AddMinshengOpenApi();
builder.AddMinshengHealthChecks();
builder.AddLiveEvents();

var app = builder.Build();
app.UseMinshengApi();
app.MapMinshengOpenApi();
app.MapHealthApi();
app.MapCatalogApi();
app.MapRegionsApi();
app.MapReportsApi();
app.MapSignOffApi();
app.MapEvidenceApi();
app.MapRollupApi();
app.MapForecastsApi();
app.MapSubscriptionsApi();
app.MapScheduleApi();
app.MapSupervisionApi();
app.MapReviewsApi();
app.MapExportsApi();
app.MapAdminApi();
app.MapEventsApi();
// After the region rollup and the plan stream: its transformer reuses the components they registered (RegionRollup, HeartbeatEventData).
app.MapRegionEventsApi();
app.MapTelemetryEndpoints();
app.Run();
return 0;

/// <summary>The entry point, visible to the API tests' WebApplicationFactory.</summary>
public partial class Program;
