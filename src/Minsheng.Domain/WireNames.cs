using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Minsheng.Domain;

/// <summary>
/// The wire names of the fixed-value enums (statuses, kinds, states, lights): each member states its name once, with
/// <see cref="JsonStringEnumMemberNameAttribute"/>, and JSON, the OpenAPI document, metrics, exports and database
/// columns all read it from there.
/// </summary>
public static class WireNames
{
    /// <summary>The member's wire name, e.g. <c>onTrack</c>.</summary>
    public static string WireName<T>(this T value) where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(T).Name}");

    /// <summary>The member a wire name stands for (exact, case-sensitive); false for anything else, null included.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (text is not null && Names<T>.ByName.TryGetValue(text, out value)) return true;
        value = default;
        return false;
    }

    /// <summary>The member a wire name stands for; throws for anything else (a stored row that cannot be read).</summary>
    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(T).Name}: {string.Join(", ", All<T>())}");

    /// <summary>Every wire name of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Names<T>.All;

    /// <summary>Every wire name of an enum type, in declaration order; throws if a member states none.</summary>
    public static IReadOnlyList<string> Of(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        if (!enumType.IsEnum) throw new ArgumentException($"{enumType.FullName} is not an enum", nameof(enumType));
        return enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{enumType.FullName}.{f.Name} states no wire name ([JsonStringEnumMemberName])"))
            .ToArray();
    }

    private static class Names<T> where T : struct, Enum
    {
        public static readonly IReadOnlyList<string> All = Of(typeof(T));

        public static readonly FrozenDictionary<T, string> ByValue = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Zip(All)
            .ToFrozenDictionary(p => (T)p.First.GetValue(null)!, p => p.Second);

        public static readonly FrozenDictionary<string, T> ByName =
            ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
