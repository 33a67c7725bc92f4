using System.Globalization;
using System.Text.RegularExpressions;

namespace Minsheng.Silo.Api;

/// <summary>Instants as the API accepts them: ISO 8601 WITH an offset (Z or ±hh:mm); a bare local time is ambiguous.</summary>
public static partial class Instants
{
    public static DateTimeOffset? Parse(string? text) =>
        text is not null && WithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : null;

    // \z, not $: $ also matches before a trailing newline, and TryParse forgives whitespace.
    [GeneratedRegex(@"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})\z")]
    private static partial Regex WithOffset();
}
