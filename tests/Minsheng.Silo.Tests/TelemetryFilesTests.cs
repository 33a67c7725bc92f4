using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Silo.Tests.Postgres;
using Xunit.Abstractions;

namespace Minsheng.Silo.Tests;

/// <summary>
/// deploy/observability checked offline: the Prometheus configuration passes <c>promtool check config</c>, the Grafana
/// dashboard is JSON whose every query names only series a real silo (a process on PostgreSQL, after a few reports)
/// serves on <c>/metrics</c>, and the Collector configuration wires only components it defines.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class TelemetryFilesTests(ITestOutputHelper output)
{
    private static string Dir => Path.Combine(RepoPaths.Root, "deploy", "observability");

    [Fact]
    public async Task The_prometheus_configuration_passes_promtool()
    {
        var check = await PrometheusText.Promtool(null, "check", "config", Path.Combine(Dir, "prometheus.yml"));
        if (check is null)
        {
            output.WriteLine(PrometheusText.PromtoolMissing);
            return;
        }
        Assert.True(check.Value.ExitCode == 0, check.Value.Output);
    }

    [Fact]
    public void The_collector_configuration_wires_only_what_it_defines()
    {
        var config = Yaml(Path.Combine(Dir, "otel-collector.yaml"));
        var pipelines = config["service"]!["pipelines"]!.AsObject();
        Assert.Equal(["logs", "metrics", "traces"], pipelines.Select(p => p.Key).Order());
        foreach (var (name, pipeline) in pipelines)
            foreach (var kind in new[] { "receivers", "processors", "exporters" })
                foreach (var component in pipeline![kind]?.AsArray() ?? [])
                    Assert.True(config[kind]?[component!.GetValue<string>()] is not null, $"{name}: {kind} {component} is not defined");
        Assert.Equal("0.0.0.0:4318", config["receivers"]!["otlp"]!["protocols"]!["http"]!["endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_series_the_grafana_dashboard_queries_is_on_a_real_silos_metrics()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Dir, "grafana-dashboard.json")))!;
        var queries = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]?.AsArray() ?? []).Select(t => t!["expr"]!.GetValue<string>()).ToList();
        var wanted = queries.SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);
        Assert.True(queries.Count >= 12 && wanted.Count >= 12, $"{queries.Count} queries, {wanted.Count} series");

        await using var silo = TestSilos.Process(await TestPostgres.CreateDatabase());
        await silo.Start();
        var plan = "/api/v1/plans/gongshu-2024";
        var street = silo.As("street:tianshui");
        // A dashboard is open (the plan grain is active): the rollup lag is measured on the reports it is pushed, not on
        // facts a freshly activated plan grain pulls in while rebuilding (those carry no acknowledgement time).
        await silo.As("viewer").GetOk($"{plan}/rollup");
        for (var i = 1; i <= 3; i++)
            Assert.Equal(201, (int)(await street.PostAsJsonAsync($"{plan}/reports", new { reportId = $"f-{i}", taskId = "3.1", unitId = "tianshui", completed = i })).StatusCode);
        Assert.Equal(409, (int)(await street.PostAsJsonAsync($"{plan}/reports", new { reportId = "f-1", taskId = "3.1", unitId = "tianshui", completed = 7 })).StatusCode);
        Assert.Equal(403, (int)(await silo.As("viewer").PostAsJsonAsync($"{plan}/reports", new { reportId = "f-9", taskId = "3.1", unitId = "tianshui", completed = 7 })).StatusCode);
        using (var events = new HttpRequestMessage(HttpMethod.Get, $"{plan}/events"))
        using (await silo.As("viewer").SendAsync(events, HttpCompletionOption.ResponseHeadersRead)) { }

        using var scraper = new HttpClient();
        PrometheusText? scrape = null;
        try
        {
            await Poll.Until(async () => scrape = new PrometheusText(await scraper.GetStringAsync(silo.MetricsAddress)), s => wanted.All(s.Names.Contains), "every wanted series on the metrics port", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // The assertion below names what is missing.
        }
        Assert.Empty(wanted.Where(name => !scrape!.Names.Contains(name)).Order());
        // The API port does not serve them.
        using var api = await new HttpClient().GetAsync(new Uri(silo.BaseAddress, "/metrics"));
        Assert.NotEqual(200, (int)api.StatusCode);
    }

    /// <summary>The series a PromQL expression selects: identifiers outside label matchers, groupings and ranges, not functions.</summary>
    private static IEnumerable<string> MetricNames(string expr)
    {
        var bare = Grouping().Replace(Range().Replace(Matchers().Replace(expr, ""), ""), "");
        return Identifier().Matches(bare).Where(m => !m.Groups["call"].Success).Select(m => m.Groups["name"].Value)
            .Where(n => !Keywords.Contains(n));
    }

    private static readonly HashSet<string> Keywords = ["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool"];

    private static JsonNode Yaml(string path)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))");
        info.ArgumentList.Add(path);
        using var process = Process.Start(info)!;
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{path} is not YAML python3 can read: {process.StandardError.ReadToEnd()}");
        return JsonNode.Parse(json)!;
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
