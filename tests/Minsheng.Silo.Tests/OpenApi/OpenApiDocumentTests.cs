using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.OpenApi;

/// <summary>
/// The OpenAPI document describes every endpoint the host maps, each with a Chinese summary, its security and its
/// problems, and it is the document committed at <c>docs/openapi.v1.json</c>.
/// </summary>
public sealed class OpenApiDocumentTests(OpenApiDocumentTests.Host host) : IClassFixture<OpenApiDocumentTests.Host>
{
    public sealed class Host : SiloHost;

    /// <summary>The one-line command that rewrites the committed document from the served one.</summary>
    public const string RefreshCommand =
        "MINSHENG_WRITE_OPENAPI=1 dotnet test tests/Minsheng.Silo.Tests -c Release --filter FullyQualifiedName~OpenApiDocumentTests";

    /// <summary>
    /// Endpoints deliberately left out of the document: the interactive reference, and any endpoint marked
    /// <c>.ExcludeFromDescription()</c> (operator tools such as a dashboard are not part of the integrators' contract).
    /// </summary>
    private static bool Undocumented(RouteEndpoint endpoint, string pattern) =>
        pattern.StartsWith("/docs", StringComparison.Ordinal)
        || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true };

    /// <summary>Operations the document describes that no endpoint maps: the page, served by the static-file middleware.</summary>
    private static readonly (string Pattern, string Method)[] StaticOperations = [("/", "GET")];

    /// <summary>The operations anyone may call without a token: health, the document, the page.</summary>
    public static readonly string[] PublicPaths = ["/health/live", "/health/ready", "/openapi/v1.json", "/"];

    [Fact]
    public async Task Every_mapped_endpoint_is_in_the_document()
    {
        var contract = await OpenApiContract.Load(host.CreateClient());
        var paths = contract.Document["paths"]!.AsObject();
        var mapped = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !Undocumented(e, "/" + e.RoutePattern.RawText!.Trim('/')))
            .Select(e => (Pattern: "/" + e.RoutePattern.RawText!.Trim('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .SelectMany(e => e.Methods.Select(m => (e.Pattern, Method: m)))
            .Distinct()
            .ToList();
        Assert.True(mapped.Count >= 25, $"only {mapped.Count} endpoints found");
        var missing = mapped.Where(e => paths[e.Pattern]?[e.Method.ToLowerInvariant()] is null).Select(e => $"{e.Method} {e.Pattern}").ToList();
        Assert.True(missing.Count == 0, "not in the document: " + string.Join(", ", missing));
        var operations = paths.Sum(p => p.Value!.AsObject().Count);
        Assert.Equal(mapped.Count + StaticOperations.Length, operations);
        foreach (var (pattern, method) in StaticOperations)
        {
            Assert.NotNull(paths[pattern]?[method.ToLowerInvariant()]);
            using var response = await host.CreateClient().GetAsync(pattern);
            Assert.Equal(200, (int)response.StatusCode);
        }
    }

    /// <summary>Writes whose request is the path alone (the approval names its report and says nothing more).</summary>
    private static readonly HashSet<string> Bodiless = ["ApproveReport"];

    [Fact]
    public async Task Every_operation_has_a_Chinese_summary_an_id_its_security_and_problem_answers()
    {
        var contract = await OpenApiContract.Load(host.CreateClient());
        Assert.StartsWith("3.1", contract.Document["openapi"]!.GetValue<string>());
        Assert.Equal("bearer", contract.Document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
        foreach (var (path, item) in contract.Document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            var name = $"{method} {path}";
            var summary = operation!["summary"]?.GetValue<string>() ?? "";
            Assert.True(summary.Any(c => c is >= '\u4e00' and <= '\u9fff'), $"{name}: summary not in Chinese: “{summary}”");
            Assert.False(string.IsNullOrEmpty(operation["operationId"]?.GetValue<string>()), $"{name}: no operationId");
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{name}: no success answer");
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                Assert.True(response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>() == "#/components/schemas/ApiProblem",
                    $"{name} {status}: not described as a problem");
            foreach (var (status, response) in responses.Where(r => r.Key == "429"))
                Assert.True(response!["headers"]?["Retry-After"]?["schema"]?["type"]?.GetValue<string>() == "integer", $"{name} 429: no Retry-After header");
            if (PublicPaths.Contains(path))
            {
                Assert.True(operation["security"] is JsonArray { Count: 0 }, $"{name}: a public operation must say security: []");
                continue;
            }
            Assert.True(operation["security"]?[0]?["Bearer"] is not null, $"{name}: no bearer security");
            foreach (var status in new[] { "401", "403", "429" }) Assert.True(responses.ContainsKey(status), $"{name}: no {status}");
            if (path.StartsWith("/api/v1/plans/{planId}", StringComparison.Ordinal)) Assert.True(responses.ContainsKey("404"), $"{name}: no 404");
            if ((method is "post" or "put") && !Bodiless.Contains(operation["operationId"]!.GetValue<string>()))
            {
                // A JSON body by its schema, or (evidence uploads) a multipart body of binary files.
                var body = operation["requestBody"]?["content"];
                Assert.True(body?["application/json"]?["schema"]?["$ref"] is not null
                    || body?["multipart/form-data"]?["schema"]?["properties"]?["files"]?["items"]?["format"]?.GetValue<string>() == "binary",
                    $"{name}: no described request body");
                foreach (var status in new[] { "400", "413", "415" }) Assert.True(responses.ContainsKey(status), $"{name}: no {status}");
            }
        }
    }

    /// <summary>
    /// Every operation the rate limiter can refuse declares that 429 with its Retry-After: each one except those
    /// <see cref="Minsheng.Silo.Api.RateLimits.IsExemptPath"/> lets through (the health probes). The public ones (the
    /// page, the document) draw on the anonymous budget, so they are held to it too, not only those with a token.
    /// </summary>
    [Fact]
    public async Task Every_operation_the_rate_limiter_can_refuse_declares_its_429_with_Retry_After()
    {
        var contract = await OpenApiContract.Load(host.CreateClient());
        var limited = new List<string>();
        var exempt = new List<string>();
        var missing = new List<string>();
        foreach (var (path, item) in contract.Document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            var name = $"{method} {path}";
            if (Minsheng.Silo.Api.RateLimits.IsExemptPath(new Microsoft.AspNetCore.Http.PathString(path)))
            {
                exempt.Add(name);
                continue;
            }
            limited.Add(name);
            var tooMany = operation!["responses"]?["429"];
            if (tooMany?["headers"]?["Retry-After"]?["schema"]?["type"]?.GetValue<string>() != "integer"
                || tooMany["headers"]!["Retry-After"]!["required"]?.GetValue<bool>() != true)
                missing.Add(name);
        }
        Assert.Equal(["get /health/live", "get /health/ready"], exempt.Order());
        // The public operations within the anonymous budget are among those checked (the rule is not only about tokens).
        Assert.Contains("get /", limited);
        Assert.Contains("get /openapi/v1.json", limited);
        Assert.True(missing.Count == 0, "can be refused by the rate limiter but declare no 429 with Retry-After: " + string.Join(", ", missing));
    }

    /// <summary>
    /// The committed document is the served one. A change to an endpoint changes the contract integrators generate
    /// clients from: refresh the file with the command in the message and commit it with the change.
    /// </summary>
    [Fact]
    public async Task The_served_document_is_the_committed_one()
    {
        using var response = await host.CreateClient().GetAsync("/openapi/v1.json");
        var served = Canonical(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        var file = Path.Combine(RepoPaths.Root, "docs", "openapi.v1.json");
        if (Environment.GetEnvironmentVariable("MINSHENG_WRITE_OPENAPI") == "1") await File.WriteAllTextAsync(file, served);
        Assert.True(File.Exists(file), $"docs/openapi.v1.json is missing; write it with: {RefreshCommand}");
        var committed = Canonical(JsonNode.Parse(await File.ReadAllTextAsync(file))!);
        Assert.True(committed == served,
            $"The served OpenAPI document differs from docs/openapi.v1.json (first difference near character {FirstDifference(committed, served)}); "
            + $"if the change is intended, refresh it with: {RefreshCommand}");
    }

    /// <summary>Indented, Chinese unescaped, a newline at the end: the committed file reads well in a diff.</summary>
    private static string Canonical(JsonNode node) => node.ToJsonString(new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }) + "\n";

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return i;
    }
}
