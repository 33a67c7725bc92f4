using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace Minsheng.Silo.Tests.Properties;

/// <summary>The four kinds of write whose valid bodies the property mutates.</summary>
public enum Family { Report, Schedule, Case, Clock }

/// <summary>What is done to a valid body. The order is the shrink order: earlier is simpler.</summary>
public enum Op
{
    None,            // the valid body as it is: acceptances must leave their history line
    Missing,         // a field (or container) removed
    WrongType,       // a value replaced by another JSON type
    NumberRange,     // a number replaced by negative, huge, 1e400, fractions...
    ControlChar,     // a C0 (NUL included), DEL or C1 character inserted into a string field
    LookAlike,       // fullwidth digits, Cyrillic letters, fullwidth dots
    UnknownKey,      // a key the body does not have
    DuplicateKey,    // a key given twice
    Extreme,         // extreme instants and dates
    Nesting,         // a value replaced by deeply nested arrays or objects
    LongText,        // a string field made very long
    Truncate,        // the JSON text cut short
    PathId,          // a control character or look-alike in an id of the path (taskId, unitId, caseId)
}

/// <summary>One generated input: a family, a valid base body, and one mutation of it, all as small numbers to shrink.</summary>
public sealed record Mutation(Family Family, int Base, Op Op, int Field, int Payload, int Position)
{
    public override string ToString() => $"{Family}(base {Base}, {Op}, field {Field}, payload {Payload}, position {Position})";

    public static Gen<Mutation> Of(Family family) =>
        Gen.Select(
            Gen.Int[0, 15],
            Gen.Frequency((3, Gen.Const(Op.None)), (15, Gen.Enum<Op>())),
            Gen.Int[0, 40], Gen.Int[0, 60], Gen.Int[0, 1000],
            (b, op, f, p, pos) => new Mutation(family, b, op, f, p, pos));
}

/// <summary>
/// A JSON body held as a tree whose leaves can be replaced by raw JSON text (so 1e400, duplicate keys and
/// invalid escapes can be written), with the field path the service's problem must name for each leaf.
/// </summary>
public sealed class RawBody(JsonObject root)
{
    private const string RawPrefix = "\uE000RAW:";
    private const string DuplicatePrefix = "\uE001DUP:";

    public JsonObject Root { get; } = root;

    /// <summary>Set when the whole text is to be cut after this many characters.</summary>
    public int? TruncateAt { get; set; }

    public static JsonNode Raw(string json) => JsonValue.Create(RawPrefix + json)!;

    public void AddDuplicate(string key, string rawValue) =>
        Root[DuplicatePrefix + Guid.NewGuid().ToString("N")] = JsonValue.Create(JsonSerializer.Serialize(key, Readable) + ":" + rawValue);

    public sealed record Slot(string Path, JsonNode Parent, string? Key, int Index, JsonNode? Value)
    {
        public bool IsString => Value is JsonValue v && v.TryGetValue<string>(out var s) && !s.StartsWith(RawPrefix, StringComparison.Ordinal);
        public bool IsNumber => Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number;
        public string? Text => Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        public bool IsDate => Path.EndsWith("date", StringComparison.OrdinalIgnoreCase) || Path == "now";

        public void Set(JsonNode? node)
        {
            if (Key is not null) ((JsonObject)Parent)[Key] = node;
            else ((JsonArray)Parent)[Index] = node;
        }

        public void Remove()
        {
            if (Key is not null) ((JsonObject)Parent).Remove(Key);
            else ((JsonArray)Parent).RemoveAt(Index);
        }
    }

    /// <summary>Every value (leaves and containers), depth first, with its field path as problems name it.</summary>
    public List<Slot> Slots()
    {
        var slots = new List<Slot>();
        void Walk(JsonNode node, string path)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, child) in o.ToList())
                    {
                        if (key.StartsWith(DuplicatePrefix, StringComparison.Ordinal)) continue;
                        var p = path.Length == 0 ? key : $"{path}.{key}";
                        slots.Add(new Slot(p, o, key, -1, child));
                        if (child is JsonObject or JsonArray) Walk(child, p);
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        var p = $"{path}[{i}]";
                        slots.Add(new Slot(p, a, null, i, a[i]));
                        if (a[i] is JsonObject or JsonArray) Walk(a[i]!, p);
                    }
                    break;
            }
        }
        Walk(Root, "");
        return slots;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(Root, sb);
        var text = sb.ToString();
        return TruncateAt is { } at ? text[..Math.Min(at, Math.Max(0, text.Length - 1))] : text;
    }

    /// <summary>Chinese left readable; control characters, quotes and backslashes still escaped.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null: sb.Append("null"); break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (key, child) in o)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    if (key.StartsWith(DuplicatePrefix, StringComparison.Ordinal)) { sb.Append(child!.GetValue<string>()); continue; }
                    sb.Append(JsonSerializer.Serialize(key, Readable)).Append(':');
                    Write(child, sb);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(a[i], sb);
                }
                sb.Append(']');
                break;
            case JsonValue v when v.TryGetValue<string>(out var s) && s.StartsWith(RawPrefix, StringComparison.Ordinal):
                sb.Append(s[RawPrefix.Length..]);
                break;
            default:
                sb.Append(node.ToJsonString(Readable));
                break;
        }
    }
}

/// <summary>The payloads mutations draw from, simplest first.</summary>
public static class Payloads
{
    public static readonly string[] Numbers =
    [
        "-1", "1.5", "1e400", "-1e400", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999999", "0.0000001", "6.0", "1e2", "-0", "2147483648", "4294967296", "1E+2", "0.5e1",
        "-9223372036854775808", "1e-400",
    ];

    public static readonly string[] WrongTypes =
        ["null", "true", "\"6\"", "6", "[]", "{}", "[\"x\"]", "{\"value\":6}", "\"\"", "false", "\"null\"", "[null]"];

    /// <summary>C0 with NUL first, DEL, C1 (U+0085 next line among them), as the fixes will refuse.</summary>
    public static readonly char[] ControlChars =
        ['\u0000', '\u001F', '\u007F', '\u0085', '\u000A', '\u009F', '\u0001', '\u0008', '\u0009', '\u000D', '\u001B', '\u0080'];

    /// <summary>How many of <see cref="ControlChars"/> (from the first) every text field gets once at the end of a run.</summary>
    public const int EdgeControlChars = 6;

    public static readonly string[] UnknownKeys =
        ["extra", "__proto__", "$type", "constructor", "id", "planId", "version", "recordedAt", "by", "\u0000", "note\u0000", "Ｎote"];

    public static readonly string[] Dates =
        ["0001-01-01", "9999-12-31", "1900-01-01", "2100-01-01", "2024-02-30", "2024-13-01", "0000-00-00", "2024-1-5", "+002024-06-30",
         "２０２４-06-30", "2024-06-30T00:00:00Z", "2024-06-30 ", "20240630", "2024-W26", "-2024-06-30"];

    /// <summary>Instants for <c>now</c>; the first four are far outside any window around the plan.</summary>
    public static readonly string[] Instants =
        ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "2100-01-01T00:00:00+08:00",
         "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1970-01-01T00:00:00Z", "2024-06-30T25:00:00+08:00",
         "2024-06-30T09:00:00+99:00", "2024-06-30T09:00:00+08:00:00", "2024-06-30T09:00:00.99999999999+08:00", "2024-06-30T09:00:00z",
         "２０２４-06-30T09:00:00+08:00", "2024-06-30T09:00:00\u002B08:00", "9999-12-31T23:59:59.9999999Z"];

    public static readonly int[] NestingDepths = [2, 8, 33, 65, 200, 1000];

    public static readonly int[] Lengths = [2001, 5000, 30_000, 70_000];

    public static string Fullwidth(string s) => new(s.Select(c => c is >= '0' and <= '9' ? (char)('０' + (c - '0')) : c == '.' ? '．' : c == '-' ? '－' : c).ToArray());

    public static string Cyrillic(string s) => new(s.Select(c => c switch
    {
        'a' => 'а', 'e' => 'е', 'o' => 'о', 'c' => 'с', 'p' => 'р', 'x' => 'х', 'i' => 'і', _ => c,
    }).ToArray());

    public static string Nest(int depth, bool objects) =>
        objects ? string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)
                : new string('[', depth) + "1" + new string(']', depth);
}
