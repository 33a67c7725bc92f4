namespace Minsheng.Silo.OpenApi;

/// <summary>
/// What a string parameter's text must look like, for the OpenAPI document: a JSON Schema <see cref="Format"/>
/// (<c>date-time</c>, <c>date</c>) and/or a <see cref="Pattern"/>. The handler checks the text itself (with Chinese
/// problems naming the field); this only tells clients what it accepts.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, AllowMultiple = false)]
public sealed class WireFormatAttribute : Attribute
{
    /// <summary>A JSON Schema format, e.g. <c>date-time</c>.</summary>
    public string? Format { get; init; }

    /// <summary>An ECMA-262 regular expression the whole text matches.</summary>
    public string? Pattern { get; init; }
}

/// <summary>Patterns of path parameters, as the handlers' parsers accept them.</summary>
public static class WirePatterns
{
    /// <summary>A month, yyyy-MM (<see cref="Domain.Reviews.EvaluationMonth"/>).</summary>
    public const string Month = @"^\d{4}-(0[1-9]|1[0-2])$";

    /// <summary>An ISO week, yyyy-Www (<see cref="Domain.Reviews.IsoWeek"/>).</summary>
    public const string IsoWeek = @"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$";
}
