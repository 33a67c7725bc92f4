using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Minsheng.Persistence;

/// <summary>
/// Grain state as plain System.Text.Json through Orleans' own <see cref="SystemTextJsonGrainStorageSerializer"/>: no .NET
/// type names in the payload (unlike Orleans' default Newtonsoft serializer, which writes <c>$type</c>), so a state class
/// can be renamed or moved and still read what was written before, as long as its JSON shape is compatible.
/// </summary>
public static class GrainStorageJson
{
    /// <summary>
    /// Orleans' System.Text.Json serializer as every grain storage provider's default, writing the shape this project's
    /// rows already hold (see <see cref="Configure"/>).
    /// </summary>
    public static ISiloBuilder UseMinshengGrainStorageJson(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o => Configure(o.JsonSerializerOptions));
        return silo;
    }

    /// <summary>
    /// Orleans' serializer configured as <see cref="UseMinshengGrainStorageJson"/> does, for code without a silo (tests,
    /// tools). It lacks the converters a silo adds after configuration (grain references, IP addresses), which no stored
    /// state of ours holds.
    /// </summary>
    public static SystemTextJsonGrainStorageSerializer CreateSerializer()
    {
        var options = new SystemTextJsonGrainStorageSerializerOptions();
        Configure(options.JsonSerializerOptions);
        return new SystemTextJsonGrainStorageSerializer(Options.Create(options));
    }

    /// <summary>
    /// The settings of the serializer this project used before Orleans shipped one (JsonSerializerDefaults.General:
    /// PascalCase names as declared, default encoder), so rows written before and after the switch are byte-identical
    /// and a rolled-back release still reads new rows. Orleans' defaults differ in two ways that are undone here: it
    /// includes public fields (a field on a state class would start being stored) and omits null properties (a null
    /// would then read back as the property's initializer, e.g. a list that is null on purpose).
    /// Reads are case-insensitive and enums are written by name, as before.
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.IncludeFields = false;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.PropertyNameCaseInsensitive = true;
        options.WriteIndented = false;
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any()) options.Converters.Add(new JsonStringEnumConverter());
    }
}
