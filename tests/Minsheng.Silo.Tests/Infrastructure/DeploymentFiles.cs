using System.Collections;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Minsheng.Persistence;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>
/// The deployment files as their tools read them (Debian's docker-compose, kubectl and nginx, run offline), and the
/// configuration keys the service binds, found in its options classes, to hold them against.
/// </summary>
public static class DeploymentFiles
{
    /// <summary>The committed example of the env file compose reads its secrets from.</summary>
    public static string ExampleEnv => Path.Combine(RepoPaths.Root, ".env.example");

    public static string NginxConf => Path.Combine(RepoPaths.Root, "deploy", "nginx", "nginx.conf");

    /// <summary>Runs a tool in the repository root; a missing tool fails with the way to get it.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        // Compose reads the secrets from the env file given, never from a developer's shell.
        info.Environment.Remove("MINSHENG_SIGNING_KEY");
        info.Environment.Remove("MINSHENG_DB_PASSWORD");
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is missing ({e.Message}): scripts/test.sh installs it from Debian's packages.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>
    /// The compose cluster as docker-compose resolves it (anchors merged, variables from the example env file), with the
    /// telemetry stack of deploy/observability joined in, as JSON.
    /// </summary>
    public static async Task<JsonObject> ComposeConfig()
    {
        var (exit, stdout, stderr) = await Run("docker-compose", "--env-file", ExampleEnv,
            "-f", "docker-compose.yml", "-f", Path.Combine("deploy", "observability", "compose.yml"), "config");
        Assert.True(exit == 0, $"docker-compose config failed: {stderr}");
        return YamlDocuments(stdout).Single()!.AsObject();
    }

    /// <summary>The objects <c>kubectl kustomize</c> renders from a tree of k8s/.</summary>
    public static async Task<List<JsonObject>> Kustomize(string tree)
    {
        var (exit, stdout, stderr) = await Run("kubectl", "kustomize", Path.Combine(RepoPaths.Root, tree));
        Assert.True(exit == 0, $"kubectl kustomize {tree} failed: {stderr}");
        return YamlDocuments(stdout).OfType<JsonObject>().ToList();
    }

    /// <summary>YAML documents as JSON, read by Python's yaml module (Debian's docker-compose depends on it).</summary>
    public static JsonArray YamlDocuments(string yaml)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d is not None], default=str))");
        using var process = Process.Start(info)!;
        process.StandardInput.Write(yaml);
        process.StandardInput.Close();
        var json = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"not YAML python3 can read: {error}");
        return JsonNode.Parse(json)!.AsArray();
    }

    /// <summary>Keys the framework or OpenTelemetry read, which the service relies on (README: Configuration).</summary>
    public static readonly string[] FrameworkKeys =
    [
        "Urls", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_SERVICE_NAME",
        "OTEL_RESOURCE_ATTRIBUTES",
    ];

    /// <summary>
    /// Every configuration key the service binds: the properties of each options class under its <c>Section</c>
    /// (nested settings classes under their property's name; a collection's items as <c>key:N</c>), the settings named
    /// by a <c>...Setting</c> constant, the connection string, and the framework's own keys the service reads.
    /// </summary>
    public static IReadOnlySet<string> BoundKeys { get; } = FindBoundKeys();

    /// <summary>The configuration key an environment variable sets (<c>A__B</c> is <c>A:B</c>; <c>ASPNETCORE_X</c> is the host's <c>X</c>).</summary>
    public static string KeyOf(string variable) =>
        variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ? variable["ASPNETCORE_".Length..] : variable.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>Whether the service binds <paramref name="key"/> (case-insensitive, as configuration is; an item of a bound collection counts).</summary>
    public static bool IsBound(string key) =>
        BoundKeys.Contains(key) || key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase)
        || BoundKeys.Any(bound => bound.EndsWith(":*", StringComparison.Ordinal) && key.StartsWith(bound[..^1], StringComparison.OrdinalIgnoreCase));

    private static HashSet<string> FindBoundKeys()
    {
        var keys = new HashSet<string>(FrameworkKeys, StringComparer.OrdinalIgnoreCase) { $"ConnectionStrings:{PostgresConnection.Name}" };
        foreach (var type in MinshengAssemblies().SelectMany(a => a.GetTypes()))
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                if (field.Name == "Section") AddProperties(keys, (string)field.GetRawConstantValue()!, type, depth: 0);
                else if (field.Name.EndsWith("Setting", StringComparison.Ordinal) && field.GetRawConstantValue() is string setting
                    && setting.StartsWith("Minsheng:", StringComparison.Ordinal))
                    keys.Add(setting);
            }
        }
        return keys;
    }

    private static void AddProperties(HashSet<string> keys, string prefix, Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(propertyType))
                keys.Add(key + ":*");
            else if (propertyType.IsClass && propertyType != typeof(string) && propertyType.Namespace?.StartsWith("Minsheng", StringComparison.Ordinal) == true && depth < 4)
                AddProperties(keys, key, propertyType, depth + 1);
            else if (property.SetMethod?.IsPublic == true)
                keys.Add(key);
        }
    }

    /// <summary>The silo's assembly and every Minsheng assembly it references, directly or not.</summary>
    private static IEnumerable<Assembly> MinshengAssemblies()
    {
        var found = new Dictionary<string, Assembly>();
        var pending = new Stack<Assembly>([typeof(Program).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            if (!found.TryAdd(assembly.GetName().Name!, assembly)) continue;
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Minsheng.", StringComparison.Ordinal)))
                if (!found.ContainsKey(reference.Name!)) pending.Push(Assembly.Load(reference));
        }
        return found.Values;
    }
}
