using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>
/// The served OpenAPI document, and the schema it gives for one answer (path, method, status, media type), checked
/// with JsonSchema.Net: the document's <c>components.schemas</c> become <c>$defs</c> of a JSON Schema 2020-12
/// document (OpenAPI 3.1 schemas are JSON Schema 2020-12), so every <c>$ref</c> resolves as written.
/// </summary>
public sealed partial class OpenApiContract(JsonObject document)
{
    /// <summary>The document as served.</summary>
    public JsonObject Document { get; } = document;

    /// <summary>Reads <c>/openapi/v1.json</c> from a host.</summary>
    public static async Task<OpenApiContract> Load(HttpClient client)
    {
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(200, (int)response.StatusCode);
        return new OpenApiContract(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>The path template of the document that a concrete request path matches, e.g. <c>/api/v1/plans/{planId}/rollup</c>.</summary>
    public string Template(string path)
    {
        var bare = path.Split('?')[0];
        var matches = Document["paths"]!.AsObject().Select(p => p.Key)
            .Where(t => new Regex("^" + Parameter().Replace(Regex.Escape(t).Replace(@"\{", "{"), "[^/]+") + "$").IsMatch(bare))
            .ToList();
        // A literal segment beats a parameter (…/rankings/weekly before …/{x}).
        return matches.OrderBy(t => t.Count(c => c == '{')).FirstOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"no path of the document matches {bare}");
    }

    /// <summary>Checks an answer's body against the schema the document gives for it; fails listing every violation.</summary>
    public void AssertValid(string method, string path, int status, string? mediaType, string body)
    {
        var template = Template(path);
        var operation = Document["paths"]![template]![method.ToLowerInvariant()]
            ?? throw new Xunit.Sdk.XunitException($"{method} {template} is not in the document");
        var response = operation["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? throw new Xunit.Sdk.XunitException($"{method} {template} answered {status}, which the document does not list");
        var content = response["content"]?[mediaType ?? ""]
            ?? throw new Xunit.Sdk.XunitException($"{method} {template} {status} answered {mediaType}, which the document does not list");
        var schema = Schema(content["schema"]!);
        using var instance = JsonDocument.Parse(body);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return;
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"));
        throw new Xunit.Sdk.XunitException($"{method} {path} {status} does not match the document's schema:\n{string.Join("\n", errors)}\n{body}");
    }

    private JsonSchema Schema(JsonNode answer)
    {
        var definitions = JsonNode.Parse(Document["components"]!["schemas"]!.ToJsonString())!.AsObject();
        definitions["__answer"] = JsonNode.Parse(answer.ToJsonString());
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://minsheng.invalid/answers/{Guid.NewGuid():N}",
            ["$defs"] = definitions,
            ["$ref"] = "#/$defs/__answer",
        };
        return JsonSchema.FromText(root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\\?\{[^}]+\}")]
    private static partial Regex Parameter();
}
