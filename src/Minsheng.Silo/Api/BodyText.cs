using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Minsheng.Domain.Limits;

namespace Minsheng.Silo.Api;

/// <summary>
/// The strings of a request body, checked for characters text may not hold (<see cref="TextRules"/>) while the
/// serializer reads them: one pass over the body, not a second scan after it. Every string a body type binds goes
/// through <see cref="Value"/> (no control character at all), except the properties a person writes prose in
/// (<c>note</c>, <c>reason</c>, <c>text</c>: line breaks and tabs allowed), which go through <see cref="Prose"/>.
/// The checks live in options of their own, derived from the API's: answers are written without them, and the
/// OpenAPI document's schemas stay those of the plain types.
/// </summary>
public static class BodyText
{
    /// <summary>Properties a person writes prose in, by their JSON name: line breaks and tabs are text there, nowhere else.</summary>
    private static readonly HashSet<string> FreeText = new(StringComparer.Ordinal) { "note", "reason", "text" };

    private static readonly JsonConverter<string> Value = new CheckedString(freeText: false), Prose = new CheckedString(freeText: true);

    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Derived = new();

    /// <summary>The API's options (<paramref name="api"/>) with the checks: made once per options instance, then reused.</summary>
    public static JsonSerializerOptions Options(JsonSerializerOptions api) => Derived.GetValue(api, Create);

    /// <summary>A field name as a problem can show it: escaped, and an empty name said in words.</summary>
    public static string Readable(string name) => name.Length == 0 ? "（空字段名）" : TextRules.Escape(name);

    private static JsonSerializerOptions Create(JsonSerializerOptions api)
    {
        var options = new JsonSerializerOptions(api);
        // Strings in lists (evidence) and any string property not named below take the strict check.
        options.Converters.Add(Value);
        options.TypeInfoResolver = (api.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(MarkProse);
        options.MakeReadOnly();
        return options;
    }

    private static void MarkProse(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in type.Properties)
            if (property.PropertyType == typeof(string) && FreeText.Contains(property.Name)) property.CustomConverter = Prose;
    }

    /// <summary>Reads a JSON string as the default converter does, and refuses it when it holds a forbidden character.</summary>
    private sealed class CheckedString(bool freeText) : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // A number or a literal where a string belongs: the serializer adds the path, JsonBody names the field.
            if (reader.TokenType != JsonTokenType.String) throw new JsonException();
            var text = reader.GetString()!;
            return TextRules.Refusal(text, freeText) is { } reason ? throw new ForbiddenTextException(reason) : text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

/// <summary>
/// A body string holds a character text may not; the serializer fills in <see cref="JsonException.Path"/> (the field),
/// and <see cref="Reason"/> is the problem's Chinese reason.
/// </summary>
public sealed class ForbiddenTextException(string reason) : JsonException(reason)
{
    /// <summary>Why the text is refused, naming the character and its place (<see cref="TextRules.Refusal"/>).</summary>
    public string Reason { get; } = reason;
}
