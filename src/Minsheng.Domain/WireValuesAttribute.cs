namespace Minsheng.Domain;

/// <summary>
/// Names the fixed set of values a string field or parameter carries on the wire, so the OpenAPI document states
/// them as an <c>enum</c> from the same source the code writes them from. <see cref="Source"/> is a static class with
/// a <c>public static IReadOnlyList&lt;string&gt; All</c> (e.g. <see cref="Supervision.CaseStates"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, AllowMultiple = false)]
public sealed class WireValuesAttribute(Type source) : Attribute
{
    /// <summary>The static class whose <c>All</c> lists the values.</summary>
    public Type Source { get; } = source;

    /// <summary>The values, read from <see cref="Source"/>'s <c>All</c>.</summary>
    public IReadOnlyList<string> Values =>
        Source.GetProperty("All", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) as IReadOnlyList<string>
        ?? throw new InvalidOperationException($"{Source.FullName} has no public static IReadOnlyList<string> All");
}
