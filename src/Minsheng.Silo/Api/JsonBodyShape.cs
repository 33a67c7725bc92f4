using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Minsheng.Silo.Api;

/// <summary>
/// A pass over a request body with <see cref="Utf8JsonReader"/> and the serializer's own contract for the body type
/// (<see cref="JsonTypeInfo"/>): finds the first property the type does not have, or the first property given twice
/// in one object, with its byte offset. <see cref="JsonBody"/> uses it to say which of those the serializer refused,
/// instead of reading the serializer's English exception text.
/// </summary>
public static class JsonBodyShape
{
    /// <summary>What is wrong with a property.</summary>
    public enum Fault { UnknownProperty, DuplicateProperty }

    /// <summary>A faulty property: its name as written and the offset of its name token.</summary>
    public readonly record struct Finding(Fault Fault, string Name, long Offset);

    /// <summary>The first unknown or repeated property, in document order; null when none (or the JSON is malformed).</summary>
    public static Finding? First(ReadOnlySpan<byte> json, Type root, JsonSerializerOptions options)
    {
        var comparer = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
            CommentHandling = options.ReadCommentHandling,
            AllowTrailingCommas = options.AllowTrailingCommas,
        });
        var frames = new Stack<Frame>();
        JsonTypeInfo? next = options.GetTypeInfo(root);
        try
        {
            while (reader.Read())
            {
                var type = frames.TryPeek(out var top) && top.IsArray ? top.Element : next;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        frames.Push(new Frame(type is { Kind: JsonTypeInfoKind.Object } ? type : null, false, null, new HashSet<string>(comparer)));
                        break;
                    case JsonTokenType.StartArray:
                        var element = type is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } e } ? options.GetTypeInfo(e) : null;
                        frames.Push(new Frame(null, true, element, null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        var frame = frames.Peek();
                        if (!frame.Seen!.Add(name)) return new Finding(Fault.DuplicateProperty, name, reader.TokenStartIndex);
                        next = null;
                        if (frame.Type is { } owner)
                        {
                            if (owner.Properties.FirstOrDefault(p => comparer.Equals(p.Name, name)) is not { } property)
                                return new Finding(Fault.UnknownProperty, name, reader.TokenStartIndex);
                            next = options.GetTypeInfo(property.PropertyType);
                        }
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the serializer reports where.
        }
        return null;
    }

    /// <summary>The absolute byte offset of a reader or serializer error's line and position.</summary>
    public static long OffsetOf(ReadOnlySpan<byte> json, long? line, long? bytePositionInLine)
    {
        if (line is not { } l || bytePositionInLine is not { } p) return long.MaxValue;
        var start = 0;
        for (var i = 0L; i < l; i++)
        {
            var newline = json[start..].IndexOf((byte)'\n');
            if (newline < 0) return long.MaxValue;
            start += newline + 1;
        }
        return start + p;
    }

    private sealed record Frame(JsonTypeInfo? Type, bool IsArray, JsonTypeInfo? Element, HashSet<string>? Seen);
}
