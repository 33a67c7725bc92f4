namespace Minsheng.Domain;

/// <summary>
/// Names the enum whose wire names a string parameter carries (a query parameter is bound as text so an unknown value
/// gets this service's own problem answer), so the OpenAPI document states them as an <c>enum</c> from the same
/// source the code parses them with (<see cref="WireNames"/>). Properties need no attribute: their type is the enum.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class WireValuesAttribute(Type source) : Attribute
{
    /// <summary>The enum whose members state the values.</summary>
    public Type Source { get; } = source;

    /// <summary>The values, in declaration order.</summary>
    public IReadOnlyList<string> Values => WireNames.Of(Source);
}
