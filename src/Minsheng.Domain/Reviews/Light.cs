using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Reviews;

/// <summary>The 红黄绿灯 of a ranking row, by how many percentage points the unit is behind its 序时进度.</summary>
public static class Light
{
    public const string Green = "green";
    public const string Yellow = "yellow";
    public const string Red = "red";

    public static IReadOnlyList<string> All { get; } = [Green, Yellow, Red];

    /// <summary>
    /// green when the gap is under <see cref="ReviewOptions.YellowFromPoints"/>, red when it is over
    /// <see cref="ReviewOptions.RedAbovePoints"/>, else yellow; compared exactly, before any rounding.
    /// </summary>
    public static string Of(Fraction gapPoints, ReviewOptions options)
    {
        if (Exact.Compare(gapPoints, Exact.Of(options.YellowFromPoints)) < 0) return Green;
        if (Exact.Compare(gapPoints, Exact.Of(options.RedAbovePoints)) > 0) return Red;
        return Yellow;
    }

    /// <summary>The label shown next to the colour, so colour is never the only signal.</summary>
    public static string Label(string light) => light switch
    {
        Green => "绿",
        Yellow => "黄",
        Red => "红",
        _ => light,
    };
}
