using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Minsheng.Domain;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// Says in property schemas what the C# types cannot: a required request property (<see cref="RequiredAttribute"/>)
/// is not nullable, whatever its C# type (bodies use nullable members so a missing field gets a named error, but the
/// service refuses null there); a fixed-value enum lists its wire names (<see cref="WireNames"/>) as a string
/// <c>enum</c>; a <see cref="WireFormatAttribute"/> gives its format or pattern.
/// </summary>
public sealed class WireSchemas : IOpenApiSchemaTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (EnumOf(context.JsonTypeInfo.Type) is { } enumType)
        {
            schema.Type = JsonSchemaType.String;
            Apply(schema, WireNames.Of(enumType));
        }
        if (context.JsonPropertyInfo?.AttributeProvider is not { } attributes) return Task.CompletedTask;
        if (attributes.IsDefined(typeof(RequiredAttribute), inherit: true) && schema.Type is { } type) schema.Type = type & ~JsonSchemaType.Null;
        if (attributes.GetCustomAttributes(typeof(WireFormatAttribute), inherit: true).OfType<WireFormatAttribute>().FirstOrDefault() is { } format)
            Apply(schema, format);
        return Task.CompletedTask;
    }

    /// <summary>The fixed-value enum a type is (or is a nullable of); null for any other type.</summary>
    public static Type? EnumOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } e ? e : null;

    /// <summary>States the values as the schema's <c>enum</c>.</summary>
    public static void Apply(OpenApiSchema schema, IReadOnlyList<string> values) =>
        schema.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();

    /// <summary>States the format and pattern.</summary>
    public static void Apply(OpenApiSchema schema, WireFormatAttribute format)
    {
        if (format.Format is { } f) schema.Format = f;
        if (format.Pattern is { } p) schema.Pattern = p;
    }
}
