using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The project's metrics, read the way Prometheus reads them (<c>/metrics</c> on the metrics port): they move by the
/// right amounts after known reports and refusals, the plan gauges agree with the rollup, the scrape names the
/// project's series and passes <c>promtool check metrics</c>. The instruments are process-wide, so this class runs alone.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests(MetricsTests.Host host, ITestOutputHelper output) : IClassFixture<MetricsTests.Host>
{
    public sealed class Host : SiloHost
    {
        public Host()
        {
            With("Minsheng:Metrics:Port", "9464");
            With("Minsheng:Aggregates:GaugeInterval", "00:00:00.200");
        }

        // The test server has no sockets, so no request arrives on a port; the service decides by that port alone
        // (MetricsPortTests checks it on a real process). Here the port a request names stands in for it.
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, PortFromHost>());
        }

        private sealed class PortFromHost : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, then) =>
                {
                    context.Connection.LocalPort = context.Request.Host.Port ?? 80;
                    return then(context);
                });
                next(app);
            };
        }
    }

    private const string Plan = "/api/v1/plans/gongshu-2024";

    private async Task<PrometheusText> Scrape()
    {
        var client = host.CreateClient();
        client.BaseAddress = new Uri("http://localhost:9464");
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(200, (int)response.StatusCode);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reports_and_refusals_move_the_counters_by_unit_and_reason()
    {
        var tianshui = host.As("street:tianshui");
        var before = await Scrape();

        Assert.Equal(201, (await tianshui.PostJson($"{Plan}/reports", new { reportId = "m-1", taskId = "3.1", unitId = "tianshui", completed = 6 })).Status);
        Assert.Equal(201, (await tianshui.PostJson($"{Plan}/reports", new { reportId = "m-2", taskId = "3.1", unitId = "tianshui", completed = 8 })).Status);
        Assert.Equal(200, (await tianshui.PostJson($"{Plan}/reports", new { reportId = "m-2", taskId = "3.1", unitId = "tianshui", completed = 8 })).Status);
        Assert.Equal(409, (await tianshui.PostJson($"{Plan}/reports", new { reportId = "m-2", taskId = "3.1", unitId = "tianshui", completed = 9 })).Status);
        Assert.Equal(422, (await tianshui.PostJson($"{Plan}/reports", new { reportId = "m-3", taskId = "3.1", unitId = "tianshui", completed = 5 })).Status);

        await host.Settle();
        var after = await Poll.Until(Scrape, s => Delta(before, s, "minsheng_rollup_lag_seconds_count") >= 1, "the rollup lag histogram to count the reports");
        const string accepted = "minsheng_unit_reports_accepted_total", refused = "minsheng_unit_reports_refused_total";
        Assert.Equal(2, Delta(before, after, accepted, ("unit", "tianshui"), ("outcome", "created")));
        Assert.Equal(1, Delta(before, after, accepted, ("unit", "tianshui"), ("outcome", "replayed")));
        Assert.Equal(1, Delta(before, after, refused, ("unit", "tianshui"), ("reason", "reportId"), ("status", "409")));
        Assert.Equal(1, Delta(before, after, refused, ("unit", "tianshui"), ("reason", "completed"), ("status", "422")));
        // One meter per fact: the API does not count accepted reports a second time.
        Assert.DoesNotContain("minsheng_reports_accepted_total", after.Names);
        // Both acknowledgements reach the plan; the outbox may coalesce the two versions into one message.
        Assert.InRange(Delta(before, after, "minsheng_rollup_lag_seconds_count", ("plan", "gongshu-2024")), 1, 2);
        Assert.InRange(after.Sum("minsheng_rollup_lag_seconds_bucket", ("plan", "gongshu-2024"), ("le", "+Inf")), 1, double.MaxValue);
    }

    [Fact]
    public async Task Plan_gauges_agree_with_the_rollup_and_the_cases()
    {
        var office = host.As("office");
        Assert.Equal(201, (await host.As("department:education").PostJson($"{Plan}/reports",
            new { reportId = "g-1", taskId = "7.1", unitId = "district", completed = 2 })).Status);
        await host.Settle();
        var rollup = await office.GetOk($"{Plan}/rollup");
        Assert.Contains(rollup["projects"]!.AsArray(), p => p!["ratio"]!.GetValue<decimal>() > 0);
        var counts = rollup["counts"]!;

        var scrape = await Poll.Until(Scrape, s => s.Sum("minsheng_assignments", ("plan", "gongshu-2024"), ("status", "done")) == counts["done"]!.GetValue<int>()
            && s.Sum("minsheng_plan_project_ratio", ("plan", "gongshu-2024"), ("project", "7")) > 0, "the plan gauges to agree with the rollup");
        // One name for one thing: the gauge's status label is the API's field name.
        foreach (var status in new[] { "done", "onTrack", "lagging", "overdue" })
            Assert.Equal(counts[status]!.GetValue<int>(), scrape.Sum("minsheng_assignments", ("plan", "gongshu-2024"), ("status", status)));
        foreach (var project in rollup["projects"]!.AsArray())
            Assert.Equal((double)project!["ratio"]!.GetValue<decimal>(),
                scrape.Sum("minsheng_plan_project_ratio", ("plan", "gongshu-2024"), ("project", project["id"]!.GetValue<string>())), 6);
        var street = await office.GetOk($"{Plan}/streets/tianshui");
        Assert.Equal(street["counts"]!["overdue"]!.GetValue<int>(), scrape.Sum("minsheng_plan_street_overdue", ("plan", "gongshu-2024"), ("street", "tianshui")));

        // The system clock is past the plan's deadline: supervision opens cases, and the gauges count those not closed.
        var cases = await Poll.Until(() => office.GetOk($"{Plan}/cases"), c => c.AsArray().Count > 0, "supervision to open cases");
        var active = cases.AsArray().Count(c => c!["state"]!.GetValue<string>() != "closed");
        scrape = await Poll.Until(Scrape, s => s.Sum("minsheng_supervision_cases_open", ("plan", "gongshu-2024")) == active, "the open-cases gauge to count the active cases");
        Assert.Equal(active, scrape.Sum("minsheng_supervision_cases_open", ("plan", "gongshu-2024")));
        Assert.True(scrape.Sum("minsheng_supervision_escalations_total", ("plan", "gongshu-2024")) >= cases.AsArray().Count);
    }

    private static double Delta(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    [Fact]
    public async Task An_open_event_stream_is_counted_until_it_closes()
    {
        var before = (await Scrape()).Sum("minsheng_events_clients");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"{Plan}/events"))
        using (var response = await host.As("viewer").SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            Assert.Equal(200, (int)response.StatusCode);
            var open = await Poll.Until(Scrape, s => s.Sum("minsheng_events_clients") == before + 1, "the events-clients gauge to count the open stream");
            Assert.Equal(before + 1, open.Sum("minsheng_events_clients"));
        }
        var closed = await Poll.Until(Scrape, s => s.Sum("minsheng_events_clients") == before, "the events-clients gauge to drop the closed stream");
        Assert.Equal(before, closed.Sum("minsheng_events_clients"));
    }

    [Fact]
    public async Task The_scrape_names_the_projects_series_and_passes_promtool()
    {
        await host.As("street:tianshui").PostJson($"{Plan}/reports", new { reportId = "p-1", taskId = "3.1", unitId = "tianshui", completed = 1 });
        await host.Settle();
        var scrape = await Poll.Until(Scrape, s => s.Names.Contains("minsheng_rollup_lag_seconds_bucket"), "the rollup lag histogram in the scrape");
        foreach (var name in new[]
                 {
                     "minsheng_plans", "minsheng_unit_reports_accepted_total", "minsheng_rollup_lag_seconds_bucket",
                     "minsheng_assignments", "minsheng_plan_project_ratio", "minsheng_plan_street_overdue", "minsheng_supervision_cases_open",
                     "http_server_request_duration_seconds_bucket", "orleans_grains", "dotnet_gc_collections_total",
                 })
            Assert.Contains(name, scrape.Names);

        var check = await PrometheusText.Promtool(scrape.Text, "check", "metrics");
        if (check is null)
        {
            output.WriteLine(PrometheusText.PromtoolMissing);
            return;
        }
        // promtool parses the whole exposition (a format error fails it outright) and then lints. Orleans' own
        // instruments have no help text and count milliseconds, and .NET's have "_count" gauges: lint findings the
        // project cannot change. Its own series must have none.
        Assert.DoesNotContain("error while linting", check.Value.Output);
        Assert.DoesNotContain("parsing error", check.Value.Output);
        var findings = check.Value.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(check.Value.ExitCode == 0 || findings.All(f => !f.StartsWith("minsheng_", StringComparison.Ordinal)),
            $"promtool check metrics found problems in the project's series:\n{check.Value.Output}");
    }

    [Fact]
    public async Task Metrics_are_not_served_on_the_api_port()
    {
        using var response = await host.CreateClient().GetAsync("/metrics");
        Assert.Equal(404, (int)response.StatusCode);
        Assert.DoesNotContain("minsheng_", await response.Content.ReadAsStringAsync());
    }
}

// Still needed: the grains' meter (Minsheng.Grains) is per host now, but the API's meter "Minsheng" (MinshengMetrics) is
// still static, since the audit filter that counts refused writes uses it and is being moved; and OpenTelemetry's
// MeterProvider subscribes to meters by name, so a host's /metrics may list another in-process host's series.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics (process-wide instruments)";
}
