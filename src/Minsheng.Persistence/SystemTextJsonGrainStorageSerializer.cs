using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace Minsheng.Persistence;

/// <summary>
/// Grain state as plain System.Text.Json: no .NET type names in the payload (unlike Orleans' default Newtonsoft
/// storage serializer, which writes <c>$type</c>), so a state class can be renamed or moved to another namespace or
/// assembly and still read what was written before, as long as its JSON shape is compatible. Unknown properties are
/// ignored on read, missing ones keep their defaults, enums are written by name.
/// </summary>
public sealed class SystemTextJsonGrainStorageSerializer : IGrainStorageSerializer
{
    /// <summary>The options used when none are given: see <see cref="CreateDefaultOptions"/>.</summary>
    public static JsonSerializerOptions DefaultOptions { get; } = CreateDefaultOptions();

    private readonly JsonSerializerOptions _options;

    /// <summary>A serializer with <paramref name="options"/>, or <see cref="DefaultOptions"/>.</summary>
    public SystemTextJsonGrainStorageSerializer(JsonSerializerOptions? options = null)
    {
        _options = options ?? DefaultOptions;
        _options.MakeReadOnly(populateMissingResolver: true);
    }

    /// <summary>The options this serializer uses (read-only).</summary>
    public JsonSerializerOptions Options => _options;

    /// <summary>
    /// PascalCase property names as declared (the stored shape follows the C# property names), case-insensitive
    /// reads, enums as strings, no indentation.
    /// </summary>
    public static JsonSerializerOptions CreateDefaultOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNameCaseInsensitive = true,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, _options));

    /// <inheritdoc />
    public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span, _options)!;
}
