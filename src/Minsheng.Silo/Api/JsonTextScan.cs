using System.Text;
using System.Text.Json;
using Minsheng.Domain.Limits;

namespace Minsheng.Silo.Api;

/// <summary>
/// Finds the first string in a JSON document that holds a character free text may not (<see cref="TextRules"/>), and
/// names it the way problems name fields (<c>note</c>, <c>evidence[1]</c>, <c>milestones[0].date</c>). One check for
/// every body the API reads, so no endpoint can forget it.
/// </summary>
public static class JsonTextScan
{
    /// <summary>Fields a person writes prose in: line breaks and tabs are allowed there, nowhere else.</summary>
    private static readonly HashSet<string> FreeText = new(StringComparer.Ordinal) { "note", "reason", "text" };

    /// <summary>The field and reason of the first forbidden character, or null when every string is clean.</summary>
    public static (string Field, string Reason)? FindForbidden(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var path = new List<Frame>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    Advance(path);
                    path.Add(new Frame(false));
                    break;
                case JsonTokenType.StartArray:
                    Advance(path);
                    path.Add(new Frame(true));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    path[^1].Name = name;
                    if (TextRules.Refusal(name, freeText: false) is { } badName) return (Readable(name), "字段名" + badName);
                    break;
                case JsonTokenType.String:
                    Advance(path);
                    var freeText = path.Count > 0 && !path[^1].IsArray && path[^1].Name is { } field && FreeText.Contains(field);
                    if (TextRules.Refusal(reader.GetString(), freeText) is { } reason) return (Describe(path), reason);
                    break;
                default:
                    Advance(path);
                    break;
            }
        }
        return null;
    }

    /// <summary>A field name as a problem can show it: escaped, and an empty name said in words.</summary>
    public static string Readable(string name) => name.Length == 0 ? "（空字段名）" : TextRules.Escape(name);

    /// <summary>A value inside an array moves the array's index on.</summary>
    private static void Advance(List<Frame> path)
    {
        if (path.Count > 0 && path[^1].IsArray) path[^1].Index++;
    }

    private static string Describe(List<Frame> path)
    {
        var text = new StringBuilder();
        foreach (var frame in path)
        {
            if (frame.IsArray) text.Append('[').Append(frame.Index).Append(']');
            else if (frame.Name is { } name) text.Append(text.Length == 0 ? "" : ".").Append(name);
        }
        return text.Length == 0 ? "body" : text.ToString();
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Name { get; set; }
    }
}
