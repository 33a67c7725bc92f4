using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Minsheng.Silo.Api;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// Describes an event stream (<c>text/event-stream</c>): the plan's from <see cref="EventsApi.Events"/>, a region's from
/// <see cref="RegionEventsApi.Events"/>: a component per
/// event's data, an envelope per event (<c>event</c>, <c>id</c>, <c>data</c>) and <c>PlanStreamEvent</c> (<c>RegionStreamEvent</c>), one of them
/// discriminated by <c>event</c>, as the schema of one event of the stream. The answer's description lists them.
/// </summary>
public static class EventStreamDocs
{
    /// <summary>The component describing one event of the stream.</summary>
    public const string StreamEventSchema = "PlanStreamEvent";

    /// <summary>The component describing one event of a region's stream.</summary>
    public const string RegionStreamEventSchema = "RegionStreamEvent";

    /// <summary>An operation transformer for <c>GET /api/v1/plans/{planId}/events</c>.</summary>
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
        Describe(operation, context, EventsApi.Events, StreamEventSchema, "",
            "Server-Sent Events 文本流。每个事件有 event: 名称、data: 一行 JSON；除 heartbeat 外都有 id:（{epoch}-{number}，"
            + "由计划的事件 grain 统一编号，在所有节点上相同；断线重连到任一节点时放入 Last-Event-ID 请求头即可续传）。首个事件带 retry: 2000。", cancellationToken);

    /// <summary>
    /// An operation transformer for <c>GET /api/v1/regions/{regionId}/events</c>: its envelopes are prefixed
    /// <c>Region</c> (its snapshot's data is not the plan's). Its data only refers to components others register
    /// (<c>RegionRollup</c> by the region rollup's answer, <c>HeartbeatEventData</c> by the plan stream): making
    /// <c>RegionRollup</c> here would replace the generator's own, which refers to <c>RegionPlan</c>, with an inlined copy.
    /// </summary>
    public static Task DescribeRegion(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
        Describe(operation, context, RegionEventsApi.Events, RegionStreamEventSchema, "Region",
            "Server-Sent Events 文本流。每个事件有 event: 名称、data: 一行 JSON，没有 id（重连时重新发送 snapshot）。首个事件带 retry: 2000。",
            cancellationToken);

    private static async Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, IReadOnlyList<StreamEvent> events,
        string streamSchema, string prefix, string intro, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        var mapping = new Dictionary<string, OpenApiSchemaReference>(StringComparer.Ordinal);
        var oneOf = new List<IOpenApiSchema>();
        var text = new StringBuilder(intro).Append("一个事件的结构见 ").Append(streamSchema).Append("；各事件：\n");
        foreach (var e in events)
        {
            var dataName = e.Data.Name;
            if (prefix.Length == 0)
            {
                var data = await context.GetOrCreateSchemaAsync(e.Data, null, cancellationToken);
                ReferenceKnownTypes(data, e.Data, document);
                document.AddComponent(dataName, data);
            }
            var envelope = prefix + Pascal(e.Name) + "Event";
            var required = new HashSet<string> { "event", "data" };
            if (e.HasId) required.Add("id");
            document.AddComponent(envelope, new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"event: {e.Name}。{e.Description}",
                Required = required,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["event"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(e.Name)] },
                    ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = e.HasId ? "事件编号 {epoch}-{number}（全集群统一）" : prefix.Length > 0 ? "无（地区事件没有编号）" : "无（心跳没有编号）" },
                    ["retry"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "建议的重连间隔（毫秒）" },
                    ["data"] = new OpenApiSchemaReference(dataName, document),
                },
            });
            var reference = new OpenApiSchemaReference(envelope, document);
            mapping[e.Name] = reference;
            oneOf.Add(reference);
            text.Append("- `").Append(e.Name).Append("`（data: ").Append(dataName).Append("）：").Append(e.Description).Append('\n');
        }
        document.AddComponent(streamSchema, new OpenApiSchema
        {
            Description = "事件流中的一个事件（event 名称决定 data 的结构）",
            OneOf = oneOf,
            Discriminator = new OpenApiDiscriminator { PropertyName = "event", Mapping = mapping },
        });
        if (operation.Responses?.TryGetValue("200", out var ok) is true && ok is OpenApiResponse response)
        {
            response.Description = text.ToString().TrimEnd();
            response.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new() { Schema = new OpenApiSchemaReference(streamSchema, document) },
            };
        }
    }

    /// <summary>
    /// A schema made here inlines the types of its properties; where such a type already is a component (the case in
    /// a <c>case</c> event is a <c>SupervisionCase</c>), the property refers to it instead, as everywhere else.
    /// </summary>
    private static void ReferenceKnownTypes(OpenApiSchema schema, Type type, OpenApiDocument document)
    {
        if (schema.Properties is null || document.Components?.Schemas is not { } components) return;
        foreach (var property in type.GetProperties())
        {
            var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (schema.Properties.ContainsKey(name) && components.ContainsKey(property.PropertyType.Name))
                schema.Properties[name] = new OpenApiSchemaReference(property.PropertyType.Name, document);
        }
    }

    private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
