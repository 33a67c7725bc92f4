using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Minsheng.Grains.Messages;

/// <summary>
/// A live event for dashboards: <see cref="Kind"/> is the SSE event name (progress, status, case, ranking, evaluation)
/// and <see cref="Data"/> its JSON payload. An event made with <see cref="Of{T}"/> carries its payload as the typed
/// record and writes the JSON the first time <see cref="Data"/> is read, by the first event-stream connection that
/// delivers it, then keeps it for every other connection: one is raised per accepted report, and an event no one
/// streams (no dashboard open on its plan, or out of the replay buffer before one reads it) is never serialized.
/// Between silos the typed payload travels in Orleans' own encoding.
/// </summary>
/// <remarks>
/// A class, not a record: the JSON written on first read is a cache, and must not make two equal events unequal.
/// </remarks>
[GenerateSerializer, Immutable, Alias("minsheng.plan-event.v1")]
public sealed class PlanEvent
{
    /// <summary>The JSON payload: given, or written from <see cref="_payload"/> on first read (the same text each time).</summary>
    [Id(2)] private string? _data;

    /// <summary>The payload as a record, for an event made with <see cref="Of{T}"/>; null when the JSON was given.</summary>
    [Id(4)] private readonly object? _payload;

    /// <summary>An event whose JSON payload is already written (<paramref name="data"/>).</summary>
    public PlanEvent(string planId, PlanEventKind kind, string data, DateTimeOffset at)
    {
        PlanId = planId;
        Kind = kind;
        _data = data;
        At = at;
    }

    private PlanEvent(string planId, PlanEventKind kind, object payload, DateTimeOffset at)
    {
        PlanId = planId;
        Kind = kind;
        _payload = payload;
        At = at;
    }

    /// <summary>An event whose payload is serialized (with <see cref="Json"/>) only when its JSON is first read.</summary>
    public static PlanEvent Of<T>(string planId, PlanEventKind kind, T payload, DateTimeOffset at) where T : notnull =>
        new(planId, kind, (object)payload, at);

    [Id(0)] public string PlanId { get; }

    [Id(1)] public PlanEventKind Kind { get; }

    [Id(3)] public DateTimeOffset At { get; }

    /// <summary>The payload's JSON (camelCase, Chinese readable), written on first read.</summary>
    public string Data => _data ??= JsonSerializer.Serialize(_payload, _payload!.GetType(), Json);

    /// <summary>
    /// The payload as <typeparamref name="T"/>: the record itself when the event carries one (no JSON written), else
    /// read from the given JSON. For a reader on the silo that acts on an event rather than forwarding it (the region
    /// stream waits for the plan rollup to hold a reported version).
    /// </summary>
    public T? PayloadAs<T>() where T : class => _payload as T ?? (_payload is null && _data is { } data ? JsonSerializer.Deserialize<T>(data, Json) : null);

    /// <summary>The payload when the event carries it as a <typeparamref name="T"/> record; null otherwise (nothing is parsed).</summary>
    public T? Typed<T>() where T : class => _payload as T;

    /// <summary>The JSON settings of event payloads: the API's camelCase, with Chinese kept readable rather than escaped.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
