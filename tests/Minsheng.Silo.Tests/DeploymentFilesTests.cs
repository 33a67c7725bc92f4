using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Minsheng.Silo.Hosting;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The deployment files checked offline with the tools that read them: docker-compose.yml (with the telemetry stack of
/// deploy/observability and the example env file) passes Debian's <c>docker-compose config</c>, the proxy's
/// configuration passes <c>nginx -t</c>, and k8s/ renders with <c>kubectl kustomize</c>. Every setting, port and path
/// they name is one the service binds or serves, and compose and Kubernetes agree on them. (Each rendered object's
/// Kubernetes type, selectors and references: tests/deploy.)
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string[] Silos = ["silo1", "silo2", "silo3"];
    private static readonly string[] Trees = ["k8s/base", "k8s/overlays/production"];

    [Fact]
    public async Task Compose_runs_postgres_the_migration_three_silos_and_nginx_as_the_one_address()
    {
        var services = (await DeploymentFiles.ComposeConfig())["services"]!.AsObject();
        foreach (var service in new[] { "postgres", "migrate", "nginx", "otel-collector", "prometheus", "grafana" }.Concat(Silos))
            Assert.True(services.ContainsKey(service), $"service {service}");
        Assert.Equal(Silos, services.Select(s => s.Key).Where(k => k.StartsWith("silo", StringComparison.Ordinal)).Order());

        foreach (var silo in Silos)
        {
            // Only nginx is the address: the silos publish nothing, and start after the migration.
            Assert.Null(services[silo]!["ports"]);
            Assert.Equal("service_completed_successfully", services[silo]!["depends_on"]!["migrate"]!["condition"]!.GetValue<string>());
            Assert.Equal("service_healthy", services["nginx"]!["depends_on"]![silo]!["condition"]!.GetValue<string>());
            Assert.Equal(services["silo1"]!["environment"]!.ToJsonString(), services[silo]!["environment"]!.ToJsonString());
        }
        Assert.Equal("Postgres", services["silo1"]!["environment"]!["Minsheng__Storage"]!.GetValue<string>());
        Assert.Equal("8080", Assert.Single(services["nginx"]!["ports"]!.AsArray())!["target"]!.ToString());
        Assert.Contains(services["nginx"]!["volumes"]!.AsArray(), v => v!.ToString().EndsWith("deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro", StringComparison.Ordinal));
        Assert.Contains(services["postgres"]!["volumes"]!.AsArray(), v => v!.ToString().StartsWith("pgdata:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compose_takes_its_secrets_from_an_env_file_that_is_not_committed()
    {
        var empty = Path.GetTempFileName();
        try
        {
            var (exit, _, stderr) = await DeploymentFiles.Run("docker-compose", "--env-file", empty, "-f", "docker-compose.yml", "config");
            Assert.NotEqual(0, exit);
            Assert.Contains("MINSHENG_", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(empty);
        }
        var ignored = await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Root, ".gitignore"));
        Assert.Contains(".env", ignored);
        var composeText = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docker-compose.yml"));
        foreach (var variable in Variable().Matches(composeText).Select(m => m.Groups[1].Value).Distinct())
            Assert.Contains(File.ReadLines(DeploymentFiles.ExampleEnv), line => line.StartsWith(variable + "=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_proxy_configuration_passes_nginx_t()
    {
        var text = await File.ReadAllTextAsync(DeploymentFiles.NginxConf);
        // nginx resolves upstream names when it loads; silo1..3 resolve only on the compose network.
        var servers = UpstreamServer().Matches(text).Select(m => (Host: m.Groups["host"].Value, Port: m.Groups["port"].Value)).ToList();
        Assert.Equal(Silos, servers.Select(s => s.Host));
        var copy = Path.Combine(Path.GetTempPath(), $"minsheng-nginx-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(copy, UpstreamServer().Replace(text, m => $"server 127.0.0.1:{m.Groups["port"].Value}"));
        try
        {
            // Debian installs it in /usr/sbin, which is not on every PATH.
            var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
            var (exit, stdout, stderr) = await DeploymentFiles.Run(nginx, "-t", "-c", copy);
            Assert.True(exit == 0, stdout + stderr);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public async Task The_proxy_streams_exactly_the_event_endpoints_unbuffered()
    {
        var text = await File.ReadAllTextAsync(DeploymentFiles.NginxConf);
        var block = EventsLocation().Match(text);
        Assert.True(block.Success, "a regex location for the event streams");
        var events = new Regex(block.Groups["regex"].Value);
        var body = block.Groups["body"].Value;
        Assert.Contains("proxy_buffering off;", body, StringComparison.Ordinal);
        Assert.True(Seconds(Directive(body, "proxy_read_timeout")) >= 3600, "event streams stay open for an hour");
        foreach (var header in new[] { "X-Forwarded-For", "X-Forwarded-Proto" })
            Assert.Matches($@"proxy_set_header {header} \$", text);
        Assert.Contains("proxy_http_version 1.1;", text, StringComparison.Ordinal);
        Assert.Matches(@"keepalive \d+;", text);

        var paths = OpenApiPaths();
        var streams = paths.Where(p => p.EndsWith("/events", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/api/v1/plans/{planId}/events", "/api/v1/regions/{regionId}/events"], streams.Order());
        foreach (var path in paths)
            Assert.True(events.IsMatch(Instance(path)) == streams.Contains(path), $"{path}: the events location matches it: {events.IsMatch(Instance(path))}");
    }

    [Fact]
    public async Task Every_setting_compose_and_kubernetes_give_the_service_is_one_it_binds()
    {
        var named = new List<(string Where, string Variable)>();
        var services = (await DeploymentFiles.ComposeConfig())["services"]!.AsObject();
        foreach (var service in Silos.Append("migrate"))
        {
            named.AddRange(services[service]!["environment"]!.AsObject().Select(e => ($"compose {service}", e.Key)));
            named.AddRange(CommandLineKeys(services[service]!["entrypoint"]).Select(k => ($"compose {service} command line", k)));
        }
        foreach (var tree in Trees)
            foreach (var (where, variable) in KubernetesVariables(await DeploymentFiles.Kustomize(tree)))
                named.Add(($"{tree} {where}", variable));
        foreach (var variable in DockerfileEnv().Keys) named.Add(("Dockerfile ENV", variable));

        Assert.True(named.Count > 40, $"{named.Count} settings found");
        var unknown = named.Where(n => !DeploymentFiles.IsBound(DeploymentFiles.KeyOf(n.Variable))).Select(n => $"{n.Where}: {n.Variable}").ToList();
        Assert.True(unknown.Count == 0, "settings the service does not bind:\n" + string.Join('\n', unknown));

        // And the check itself knows a wrong name when it sees one.
        Assert.False(DeploymentFiles.IsBound(DeploymentFiles.KeyOf("Minsheng__Cluster__SiloPorts")));
        Assert.True(DeploymentFiles.IsBound(DeploymentFiles.KeyOf("Minsheng__Cluster__SiloPort")));
        Assert.True(DeploymentFiles.IsBound(DeploymentFiles.KeyOf("Minsheng__Cors__Origins__0")));
    }

    [Fact]
    public async Task Compose_and_kubernetes_give_the_silos_the_same_settings()
    {
        // Except the proxy the silos trust, which is where the two differ (compose: nginx's address; Kubernetes: the
        // ingress controller's network; below).
        var compose = ComposeSiloSettings((await DeploymentFiles.ComposeConfig())["services"]!["silo1"]!).Where(s => !IsProxySetting(s.Key)).ToDictionary();
        foreach (var tree in Trees)
        {
            var objects = await DeploymentFiles.Kustomize(tree);
            var configMap = ConfigMap(objects).Where(s => !IsProxySetting(s.Key)).ToDictionary();
            var kubernetes = KubernetesVariables(objects).Where(v => v.Where.Contains("silo", StringComparison.Ordinal) && !IsProxySetting(v.Variable))
                .Select(v => v.Variable).ToHashSet();
            Assert.Equal(compose.Keys.Order(), kubernetes.Order());
            foreach (var (key, value) in configMap)
                if (key != "Minsheng__Cluster__ClusterId" || tree == "k8s/base")
                    Assert.True(compose.TryGetValue(key, out var composed) && composed == value, $"{tree}: {key}={value}, compose: {composed}");
        }
    }

    [Fact]
    public async Task The_silos_believe_forwarded_addresses_from_the_proxy_only()
    {
        var services = (await DeploymentFiles.ComposeConfig())["services"]!;
        var nginx = services["nginx"]!["networks"]!["default"]!["ipv4_address"]!.GetValue<string>();
        foreach (var silo in Silos)
        {
            var proxies = services[silo]!["environment"]!.AsObject().Where(e => IsProxySetting(e.Key)).ToList();
            Assert.Equal([("Minsheng__Proxy__KnownProxies__0", nginx)], proxies.Select(p => (p.Key, p.Value!.ToString())));
        }
        // nginx's address is in the compose network and outside the range the other containers are given addresses from.
        var ipam = Assert.Single((await DeploymentFiles.ComposeConfig())["networks"]!["default"]!["ipam"]!["config"]!.AsArray())!;
        var address = System.Net.IPAddress.Parse(nginx);
        Assert.True(System.Net.IPNetwork.Parse(ipam["subnet"]!.GetValue<string>()).Contains(address), $"{nginx} in the subnet");
        Assert.False(System.Net.IPNetwork.Parse(ipam["ip_range"]!.GetValue<string>()).Contains(address), $"{nginx} outside the dynamic range");

        foreach (var tree in Trees)
        {
            var proxies = ConfigMap(await DeploymentFiles.Kustomize(tree)).Where(s => IsProxySetting(s.Key)).ToList();
            var network = Assert.Single(proxies);
            Assert.Equal("Minsheng__Proxy__KnownNetworks__0", network.Key);
            Assert.True(System.Net.IPNetwork.TryParse(network.Value, out _), $"{tree}: {network.Value} is a network");
        }
    }

    private static bool IsProxySetting(string variable) => variable.StartsWith("Minsheng__Proxy__", StringComparison.Ordinal);

    [Fact]
    public async Task Ports_agree_with_what_the_silo_listens_on()
    {
        var settings = ComposeSiloSettings((await DeploymentFiles.ComposeConfig())["services"]!["silo1"]!);
        var defaults = new MinshengClusterOptions();
        var siloPort = int.Parse(settings.GetValueOrDefault("Minsheng__Cluster__SiloPort") ?? $"{defaults.SiloPort}", CultureInfo.InvariantCulture);
        var gatewayPort = int.Parse(settings.GetValueOrDefault("Minsheng__Cluster__GatewayPort") ?? $"{defaults.GatewayPort}", CultureInfo.InvariantCulture);
        var metricsPort = int.Parse(settings.GetValueOrDefault("Minsheng__Metrics__Port") ?? $"{MetricsOptions.DefaultPort}", CultureInfo.InvariantCulture);
        var env = DockerfileEnv();
        var httpPort = new Uri(env["ASPNETCORE_URLS"]).Port;
        var expected = new Dictionary<string, int> { ["http"] = httpPort, ["silo"] = siloPort, ["gateway"] = gatewayPort, ["metrics"] = metricsPort };

        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "Dockerfile"));
        Assert.Equal(expected.Values.Order(), ExposeLine().Match(dockerfile).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).Order());
        Assert.All(UpstreamServer().Matches(await File.ReadAllTextAsync(DeploymentFiles.NginxConf)), m => Assert.Equal($"{httpPort}", m.Groups["port"].Value));
        var prometheus = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "observability", "prometheus.yml"));
        foreach (var silo in Silos) Assert.Contains($"\"{silo}:{metricsPort}\"", prometheus, StringComparison.Ordinal);
        Assert.Contains($"metrics_path: {MetricsEndpoint.Path}", prometheus, StringComparison.Ordinal);

        foreach (var tree in Trees)
        {
            var objects = await DeploymentFiles.Kustomize(tree);
            var template = Workload(objects, "Deployment")["spec"]!["template"]!;
            var container = template["spec"]!["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "silo")!;
            var ports = container["ports"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["containerPort"]!.GetValue<int>());
            Assert.Equal(expected.OrderBy(p => p.Key), ports.OrderBy(p => p.Key));
            var configMap = ConfigMap(objects);
            Assert.Equal($"{siloPort}", configMap["Minsheng__Cluster__SiloPort"]);
            Assert.Equal($"{gatewayPort}", configMap["Minsheng__Cluster__GatewayPort"]);
            Assert.Equal($"{metricsPort}", configMap["Minsheng__Metrics__Port"]);
            var annotations = template["metadata"]!["annotations"]!;
            Assert.Equal($"{metricsPort}", annotations["prometheus.io/port"]!.GetValue<string>());
            Assert.Equal(MetricsEndpoint.Path, annotations["prometheus.io/path"]!.GetValue<string>());
            var opened = Workload(objects, "NetworkPolicy")["spec"]!["ingress"]!.AsArray()
                .SelectMany(rule => rule!["ports"]!.AsArray()).Select(p => p!["port"]!.GetValue<int>());
            Assert.Equal(expected.Values.Order(), opened.Order());
        }
    }

    [Fact]
    public async Task Health_checks_ask_the_paths_the_service_serves()
    {
        var served = OpenApiPaths();
        var compose = (await DeploymentFiles.ComposeConfig())["services"]!;
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "Dockerfile"));
        var imageCheck = HealthRequest().Match(Regex.Match(dockerfile, @"^HEALTHCHECK[^\n]*\n[^\n]*", RegexOptions.Multiline).Value);
        Assert.Equal("/health/live", imageCheck.Groups["path"].Value);
        foreach (var silo in Silos)
        {
            var check = HealthRequest().Match(string.Join(' ', compose[silo]!["healthcheck"]!["test"]!.AsArray().Select(t => t!.GetValue<string>())));
            Assert.Equal("/health/ready", check.Groups["path"].Value);
            Assert.Equal(imageCheck.Groups["port"].Value, check.Groups["port"].Value);
        }
        foreach (var tree in Trees)
        {
            var container = Workload(await DeploymentFiles.Kustomize(tree), "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;
            Assert.Equal("/health/live", container["startupProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.Equal("/health/ready", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.Equal("/health/live", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        }
        Assert.Contains("/health/live", served);
        Assert.Contains("/health/ready", served);
    }

    [Fact]
    public async Task Orchestrators_wait_longer_than_the_silos_shutdown_timeout()
    {
        var services = (await DeploymentFiles.ComposeConfig())["services"]!;
        foreach (var silo in Silos)
        {
            var timeout = TimeSpan.Parse(services[silo]!["environment"]!["Minsheng__Shutdown__Timeout"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var grace = Seconds(services[silo]!["stop_grace_period"]!.GetValue<string>());
            Assert.True(grace >= timeout.TotalSeconds + 5, $"{silo}: stop_grace_period {grace} s, shutdown timeout {timeout}");
        }
        foreach (var tree in Trees)
        {
            var objects = await DeploymentFiles.Kustomize(tree);
            var timeout = TimeSpan.Parse(ConfigMap(objects)["Minsheng__Shutdown__Timeout"], CultureInfo.InvariantCulture);
            var pod = Workload(objects, "Deployment")["spec"]!["template"]!["spec"]!;
            var preStop = pod["containers"]![0]!["lifecycle"]?["preStop"]?["exec"]?["command"]?.AsArray().Select(c => c!.GetValue<string>()).ToList();
            var pause = preStop is ["sleep", var s] ? int.Parse(s, CultureInfo.InvariantCulture) : 0;
            var grace = pod["terminationGracePeriodSeconds"]!.GetValue<int>();
            Assert.True(grace >= pause + timeout.TotalSeconds + 5, $"{tree}: terminationGracePeriodSeconds {grace}, preStop {pause} s, shutdown timeout {timeout}");
        }
    }

    [Fact]
    public async Task The_image_restores_apart_from_the_sources_and_runs_unprivileged()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "Dockerfile"));
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0\b", dockerfile);
        Assert.Matches(@"(?m)^RUN npm ci\b", dockerfile);
        Assert.Matches(@"(?m)^USER \$APP_UID$", dockerfile);
        // Every project is copied before the restore, so a new one cannot leave the restore layer incomplete.
        var restore = dockerfile.IndexOf("RUN dotnet restore", StringComparison.Ordinal);
        var sources = dockerfile.IndexOf("COPY src/ src/", StringComparison.Ordinal);
        Assert.True(restore > 0 && sources > restore, "restore before the sources are copied");
        foreach (var project in Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoPaths.Root, project).Replace('\\', '/');
            var copy = dockerfile.IndexOf($"COPY {relative} ", StringComparison.Ordinal);
            Assert.True(copy > 0 && copy < restore, $"{relative} is copied before the restore");
        }
        Assert.Matches(@"dotnet publish [^\n]*--no-restore", dockerfile);

        var ignore = (await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Root, ".dockerignore"))).Where(l => l.Length > 0 && l[0] != '#').ToList();
        Assert.Equal("*", ignore[0]);
        foreach (var kept in new[] { "**/.minsheng/", "**/bin/", "**/obj/", "**/TestResults/", "**/node_modules/", "**/.env", ".git/" })
            Assert.Contains(kept, ignore);
    }

    private static Dictionary<string, string> ComposeSiloSettings(JsonNode silo)
    {
        var settings = silo["environment"]!.AsObject()
            .Where(e => !e.Key.StartsWith("OTEL_", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value!.ToString());
        foreach (var key in CommandLineKeys(silo["entrypoint"])) settings[key] = "(command line)";
        return settings;
    }

    /// <summary>The settings a command line gives as <c>--Key=value</c>, as variable names (<c>Key__Sub</c>).</summary>
    private static IEnumerable<string> CommandLineKeys(JsonNode? command) =>
        command is null ? Enumerable.Empty<string>() : CommandLineSetting().Matches(string.Join(' ', command.AsArray().Select(a => a!.GetValue<string>())))
            .Select(m => m.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal));

    /// <summary>Every environment variable the workloads' containers get: their own, and the keys of the ConfigMaps they take whole.</summary>
    private static IEnumerable<(string Where, string Variable)> KubernetesVariables(List<JsonObject> objects)
    {
        foreach (var workload in objects.Where(o => o["spec"]?["template"]?["spec"]?["containers"] is not null))
            foreach (var container in workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
            {
                var where = $"{workload["kind"]}/{workload["metadata"]!["name"]} {container!["name"]}";
                foreach (var env in container["env"]?.AsArray() ?? new JsonArray()) yield return (where, env!["name"]!.GetValue<string>());
                foreach (var source in container["envFrom"]?.AsArray() ?? new JsonArray())
                {
                    var name = source!["configMapRef"]?["name"]?.GetValue<string>();
                    var configMap = objects.Single(o => o["kind"]!.GetValue<string>() == "ConfigMap" && o["metadata"]!["name"]!.GetValue<string>() == name);
                    foreach (var key in configMap["data"]!.AsObject()) yield return (where, key.Key);
                }
            }
    }

    private static Dictionary<string, string> ConfigMap(List<JsonObject> objects) =>
        objects.Single(o => o["kind"]!.GetValue<string>() == "ConfigMap")["data"]!.AsObject().ToDictionary(d => d.Key, d => d.Value!.GetValue<string>());

    private static JsonObject Workload(List<JsonObject> objects, string kind) => objects.Single(o => o["kind"]!.GetValue<string>() == kind);

    /// <summary>The Dockerfile's <c>ENV</c> settings of the final stage.</summary>
    private static Dictionary<string, string> DockerfileEnv()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        return Regex.Matches(text, @"(?m)^ENV (.+)$").SelectMany(m => EnvPair().Matches(m.Groups[1].Value))
            .ToDictionary(p => p.Groups["key"].Value, p => p.Groups["value"].Value);
    }

    private static List<string> OpenApiPaths() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "openapi.v1.json")))!["paths"]!.AsObject().Select(p => p.Key).ToList();

    /// <summary>A request path for an OpenAPI path template.</summary>
    private static string Instance(string template) => Regex.Replace(template, @"\{[^}]+\}", "gongshu-2024");

    private static string Directive(string block, string name) => Regex.Match(block, $@"\b{name}\s+([^;]+);").Groups[1].Value;

    /// <summary>A duration as nginx and compose write it (<c>1h</c>, <c>1m30s</c>, <c>45s</c>, <c>120</c>), in seconds.</summary>
    private static double Seconds(string duration)
    {
        var m = Duration().Match(duration.Trim());
        Assert.True(m.Success, $"a duration: '{duration}'");
        double Part(string unit) => m.Groups[unit].Success ? double.Parse(m.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
        return Part("h") * 3600 + Part("m") * 60 + Part("s");
    }

    [GeneratedRegex(@"\$\{(\w+)")]
    private static partial Regex Variable();

    [GeneratedRegex(@"server (?<host>[\w.-]+):(?<port>\d+)")]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"location ~ (?<regex>\S+) \{(?<body>[^}]*)\}")]
    private static partial Regex EventsLocation();

    [GeneratedRegex(@"--([A-Za-z][\w:]*)=")]
    private static partial Regex CommandLineSetting();

    [GeneratedRegex(@"(?<key>[A-Za-z_][\w]*)=(?<value>\S+)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"^EXPOSE ([\d ]+)$", RegexOptions.Multiline)]
    private static partial Regex ExposeLine();

    [GeneratedRegex(@"/dev/tcp/127\.0\.0\.1/(?<port>\d+).*GET (?<path>/\S+) HTTP")]
    private static partial Regex HealthRequest();

    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s?)?$")]
    private static partial Regex Duration();
}
