using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Minsheng.Domain;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// Gives handler parameters the values and formats their attributes state (<see cref="WireValuesAttribute"/>,
/// <see cref="WireFormatAttribute"/>): <c>format=xlsx|csv</c>, <c>state=open|responded|closed</c>, <c>asOf</c> as a
/// date-time, <c>month</c> as yyyy-MM.
/// </summary>
public sealed class ParameterFacts : IOpenApiOperationTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var description in context.Description.ParameterDescriptions)
        {
            if (description.ParameterDescriptor is not IParameterInfoParameterDescriptor { ParameterInfo: var info }) continue;
            var values = info.GetCustomAttributes(typeof(WireValuesAttribute), true).OfType<WireValuesAttribute>().FirstOrDefault();
            var format = info.GetCustomAttributes(typeof(WireFormatAttribute), true).OfType<WireFormatAttribute>().FirstOrDefault();
            if (values is null && format is null) continue;
            var parameter = (operation.Parameters ?? []).OfType<OpenApiParameter>()
                .FirstOrDefault(p => string.Equals(p.Name, description.Name, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"{context.Description.RelativePath}: parameter {description.Name} is not in the operation");
            if (parameter.Schema is not OpenApiSchema schema)
                throw new InvalidOperationException($"{context.Description.RelativePath}: parameter {description.Name} has no inline schema");
            if (values is not null) WireSchemas.Apply(schema, values.Values);
            if (format is not null) WireSchemas.Apply(schema, format);
        }
        return Task.CompletedTask;
    }
}
