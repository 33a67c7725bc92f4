using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Minsheng.Domain.Plans;

/// <summary>Reads and writes plan files: camelCase JSON, Chinese kept readable, unknown fields refused.</summary>
public static class PlanJson
{
    /// <summary>The serializer options of plan files and of the catalog API.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Serializes a plan as a plan file's text (indented, ending in a newline).</summary>
    public static string Serialize(Plan plan) => JsonSerializer.Serialize(plan, Options) + "\n";

    /// <summary>Parses a plan file's text; throws <see cref="PlanFormatException"/> naming what is wrong.</summary>
    public static Plan Deserialize(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<Plan>(json, Options)
                ?? throw new PlanFormatException($"{source}: the file holds no plan");
        }
        catch (JsonException e)
        {
            throw new PlanFormatException($"{source}: {e.Message}", e);
        }
    }
}

/// <summary>A plan file that cannot be read or does not hold together.</summary>
public sealed class PlanFormatException(string message, Exception? inner = null) : Exception(message, inner);
