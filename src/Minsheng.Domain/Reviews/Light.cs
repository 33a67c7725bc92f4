using System.Text.Json.Serialization;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Reviews;

/// <summary>The 红黄绿灯 of a ranking row, by how many percentage points the unit is behind its 序时进度.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Light>))]
public enum Light
{
    [JsonStringEnumMemberName("green")] Green,
    [JsonStringEnumMemberName("yellow")] Yellow,
    [JsonStringEnumMemberName("red")] Red,
}

/// <summary>Which <see cref="Light"/> a gap earns, and the word shown beside its colour.</summary>
public static class Lights
{
    /// <summary>
    /// green when the gap is under <see cref="ReviewOptions.YellowFromPoints"/>, red when it is over
    /// <see cref="ReviewOptions.RedAbovePoints"/>, else yellow; compared exactly, before any rounding.
    /// </summary>
    public static Light Of(Fraction gapPoints, ReviewOptions options)
    {
        if (Exact.Compare(gapPoints, Exact.Of(options.YellowFromPoints)) < 0) return Light.Green;
        if (Exact.Compare(gapPoints, Exact.Of(options.RedAbovePoints)) > 0) return Light.Red;
        return Light.Yellow;
    }

    /// <summary>The label shown next to the colour, so colour is never the only signal.</summary>
    public static string Label(Light light) => light switch
    {
        Light.Green => "绿",
        Light.Yellow => "黄",
        Light.Red => "红",
        _ => light.ToString(),
    };
}
