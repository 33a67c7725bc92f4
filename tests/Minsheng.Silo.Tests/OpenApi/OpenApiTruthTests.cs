using Minsheng.Domain;
using System.Text.Json;
using System.Text.Json.Nodes;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;
using Minsheng.Exports;
using Minsheng.Silo.Api;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.OpenApi;

/// <summary>
/// The document says what the service does: each answer under its own type, required request fields never null,
/// fixed values and formats stated, a base URL, public operations marked public, and the event stream's events.
/// </summary>
public sealed class OpenApiTruthTests(OpenApiTruthTests.Host host) : IClassFixture<OpenApiTruthTests.Host>
{
    public sealed class Host : SiloHost;

    private const string Plan = "/api/v1/plans/{planId}";

    [Fact]
    public async Task A_month_and_the_year_end_input_are_two_operations_each_with_its_own_answer()
    {
        var document = (await OpenApiContract.Load(host.CreateClient())).Document;
        Assert.Equal("#/components/schemas/MonthlyEvaluation", AnswerRef(document, $"{Plan}/evaluations/{{month}}"));
        Assert.Equal("#/components/schemas/FinalEvaluation", AnswerRef(document, $"{Plan}/evaluations/final"));
        // Every member the service writes is in the schema, and required: a generated client drops nothing.
        AssertDescribes(document, "MonthlyEvaluation", typeof(MonthlyEvaluation));
        AssertDescribes(document, "MonthlyScore", typeof(MonthlyScore));
        AssertDescribes(document, "MonthlyEvaluationOptions", typeof(MonthlyEvaluationOptions));
        AssertDescribes(document, "FinalEvaluation", typeof(FinalEvaluation));
        Assert.Equal("#/components/schemas/MonthlyScore", Schema(document, "MonthlyEvaluation")["properties"]!["streets"]!["items"]!["$ref"].Str());
        Assert.Equal("#/components/schemas/MonthlyEvaluationOptions", Schema(document, "MonthlyEvaluation")["properties"]!["weights"]!["$ref"].Str());

        // And the service answers each path from its own operation.
        using var month = await host.As("viewer").GetAsync("/api/v1/plans/gongshu-2024/evaluations/final-ish");
        Assert.Equal(400, (int)month.StatusCode);
        using var final = await host.As("viewer").GetAsync("/api/v1/plans/gongshu-2024/evaluations/final");
        Assert.Equal(404, (int)final.StatusCode);
        Assert.Contains("最终期限", await final.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Required_request_properties_are_not_nullable()
    {
        var document = (await OpenApiContract.Load(host.CreateClient())).Document;
        var bodies = Operations(document).Select(o => o.Operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>())
            .OfType<string>().Distinct().ToList();
        Assert.True(bodies.Count >= 6, $"only {bodies.Count} request bodies");
        var checkedProperties = 0;
        foreach (var body in bodies) checkedProperties += RequiredNotNull(Schema(document, body.Split('/')[^1]), body);
        Assert.True(checkedProperties >= 14, $"only {checkedProperties} required properties");
        Assert.Equal("string", Schema(document, "ReportBody")["properties"]!["reportId"]!["type"].Str());
        // Optional ones stay nullable: the service accepts null there.
        Assert.Contains("null", Schema(document, "ReportBody")["properties"]!["note"]!["type"]!.AsArray().Select(t => t.Str()));
    }

    [Fact]
    public async Task Fixed_value_fields_and_parameters_carry_their_values_and_instants_their_format()
    {
        var document = (await OpenApiContract.Load(host.CreateClient())).Document;
        Assert.Equal(WireNames.All<AssignmentStatus>(), Enum(Property(document, "AssignmentView", "status")));
        Assert.Equal(["onTrack", "lagging", "overdue", "done"], WireNames.All<AssignmentStatus>());
        Assert.Equal(WireNames.All<AssignmentStatus>(), Enum(Property(document, "ReportAnswer", "status")));
        Assert.Equal(WireNames.All<AssignmentStatus>(), Enum(Property(document, "Alert", "status")));
        Assert.Equal(WireNames.All<AlertKind>(), Enum(Property(document, "Alert", "kind")));
        Assert.Equal(WireNames.All<CaseState>(), Enum(Property(document, "SupervisionCase", "state")));
        Assert.Equal(WireNames.All<CaseKind>(), Enum(Property(document, "SupervisionCase", "kind")));
        Assert.Equal(WireNames.All<Light>(), Enum(Property(document, "RankedUnit", "light")));
        Assert.Equal(WireNames.All<ScheduleSource>(), Enum(Property(document, "AssignmentView", "scheduleSource")));
        Assert.Equal(WireNames.All<ScheduleSource>(), Enum(Property(document, "ScheduleAnswer", "scheduleSource")));

        // Whatever else is named like a fixed value has one, wherever it is.
        var fixedNames = new HashSet<string> { "status", "state", "kind", "light", "scheduleSource", "action", "mode", "from", "to" };
        var instants = new HashSet<string> { "asOf", "now", "since", "deadline", "finalDeadline" };
        var dates = new HashSet<string> { "start", "date", "promisedDate" };
        var seen = 0;
        foreach (var (owner, name, schema) in AllProperties(document))
        {
            var type = schema["type"] is JsonArray types ? types.Select(t => t.Str()).ToList() : [schema["type"]?.GetValue<string>() ?? ""];
            if (!type.Contains("string")) continue;
            seen++;
            if (fixedNames.Contains(name)) Assert.True(schema["enum"] is JsonArray { Count: > 1 }, $"{owner}.{name} states no values");
            if (instants.Contains(name) || name.EndsWith("At", StringComparison.Ordinal))
                Assert.True(schema["format"]?.GetValue<string>() == "date-time", $"{owner}.{name} is no date-time");
            if (dates.Contains(name)) Assert.True(schema["format"]?.GetValue<string>() == "date", $"{owner}.{name} is no date");
        }
        Assert.True(seen > 50, $"only {seen} string properties walked");

        foreach (var (name, operation) in Operations(document))
        foreach (var parameter in (operation["parameters"]?.AsArray() ?? []).Select(p => p!))
        {
            var schema = parameter["schema"]!;
            switch (parameter["name"].Str())
            {
                case "format": Assert.Equal(WireNames.All<ExportFormat>(), Enum(schema)); break;
                case "state" when name.EndsWith("/pending", StringComparison.Ordinal): Assert.Equal(WireNames.All<Minsheng.Domain.SignOff.SignOffState>(), Enum(schema)); break;
                case "state": Assert.Equal(WireNames.All<CaseState>(), Enum(schema)); break;
                case "asOf": Assert.Equal("date-time", schema["format"].Str()); break;
                case "month": Assert.Matches(schema["pattern"].Str(), "2024-06"); Assert.DoesNotMatch(schema["pattern"].Str(), "2024-13"); break;
                case "isoWeek": Assert.Matches(schema["pattern"].Str(), "2024-W23"); break;
            }
        }
        var formats = Operations(document).SelectMany(o => o.Operation["parameters"]?.AsArray() ?? []).Count(p => p!["name"].Str() == "format");
        Assert.Equal(3, formats);
    }

    [Fact]
    public async Task It_names_a_server_and_describes_the_event_stream_and_its_events()
    {
        var document = (await OpenApiContract.Load(host.CreateClient())).Document;
        var server = document["servers"]!.AsArray().Single()!;
        Assert.True(Uri.TryCreate(server["url"].Str(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https", server.ToJsonString());
        Assert.False(string.IsNullOrEmpty(server["description"]?.GetValue<string>()));

        var events = document["paths"]![$"{Plan}/events"]!["get"]!;
        var lastEventId = events["parameters"]!.AsArray().Single(p => p!["name"].Str() == "Last-Event-ID")!;
        Assert.Equal("header", lastEventId["in"].Str());
        var ok = events["responses"]!["200"]!;
        Assert.Equal("#/components/schemas/PlanStreamEvent", ok["content"]!["text/event-stream"]!["schema"]!["$ref"].Str());
        var stream = Schema(document, "PlanStreamEvent");
        var mapping = stream["discriminator"]!["mapping"]!.AsObject();
        Assert.Equal("event", stream["discriminator"]!["propertyName"].Str());
        Assert.Equal(EventsApi.Events.Select(e => e.Name).Order(), mapping.Select(m => m.Key).Order());
        Assert.Equal(["snapshot", "progress", "status", "case", "ranking", "forecast", "evaluation", "resync", "heartbeat"], EventsApi.Events.Select(e => e.Name));
        foreach (var e in EventsApi.Events)
        {
            var envelope = Schema(document, mapping[e.Name].Str().Split('/')[^1]);
            Assert.Equal([e.Name], Enum(envelope["properties"]!["event"]!));
            var data = envelope["properties"]!["data"]!["$ref"].Str();
            Assert.Equal($"#/components/schemas/{e.Data.Name}", data);
            Assert.NotNull(Schema(document, e.Data.Name));
            Assert.Contains($"`{e.Name}`", ok["description"].Str());
        }
        Assert.Equal("#/components/schemas/SupervisionCase", Schema(document, "CaseEventData")["properties"]!["case"]!["$ref"].Str());
        Assert.Equal(WireNames.All<ResyncReason>(), Enum(Property(document, "ResyncEventData", "reason")));
    }

    private static string AnswerRef(JsonNode document, string path) =>
        document["paths"]![path]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"].Str();

    private static JsonNode Schema(JsonNode document, string name) =>
        document["components"]!["schemas"]![name] ?? throw new Xunit.Sdk.XunitException($"no component {name}");

    private static JsonNode Property(JsonNode document, string schema, string property) =>
        Schema(document, schema)["properties"]![property] ?? throw new Xunit.Sdk.XunitException($"{schema} has no {property}");

    private static List<string> Enum(JsonNode schema) =>
        (schema["enum"] as JsonArray ?? throw new Xunit.Sdk.XunitException($"no enum: {schema.ToJsonString()}")).Select(v => v.Str()).ToList();

    /// <summary>The schema lists every property the C# type serializes, each required.</summary>
    private static void AssertDescribes(JsonNode document, string name, Type type)
    {
        var schema = Schema(document, name);
        var expected = type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order().ToList();
        Assert.Equal(expected, schema["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(expected, schema["required"]!.AsArray().Select(r => r.Str()).Order());
    }

    private static IEnumerable<(string Name, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => ($"{m.Key} {p.Key}", m.Value!)));

    /// <summary>Every property of every component schema, nested objects and array items included.</summary>
    private static IEnumerable<(string Owner, string Name, JsonNode Schema)> AllProperties(JsonNode document)
    {
        var pending = new Stack<(string Owner, JsonNode Schema)>(document["components"]!["schemas"]!.AsObject().Select(s => (s.Key, s.Value!)));
        while (pending.TryPop(out var current))
        {
            if (current.Schema["items"] is { } items) pending.Push((current.Owner + "[]", items));
            foreach (var (name, property) in current.Schema["properties"]?.AsObject() ?? [])
            {
                yield return (current.Owner, name, property!);
                pending.Push((current.Owner + "." + name, property!));
            }
        }
    }

    /// <summary>Checks that no required property of the schema (and of the objects inside it) admits null; counts them.</summary>
    private static int RequiredNotNull(JsonNode schema, string where)
    {
        var count = 0;
        var required = schema["required"]?.AsArray().Select(r => r.Str()).ToHashSet() ?? [];
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            if (required.Contains(name))
            {
                count++;
                var types = property!["type"] is JsonArray array ? array.Select(t => t.Str()).ToList() : [property["type"]?.GetValue<string>() ?? ""];
                Assert.False(types.Contains("null"), $"{where}.{name} is required but declared nullable");
                Assert.Null(property["oneOf"]);
            }
            count += RequiredNotNull(property!, $"{where}.{name}");
            if (property!["items"] is { } items) count += RequiredNotNull(items, $"{where}.{name}[]");
        }
        return count;
    }
}
