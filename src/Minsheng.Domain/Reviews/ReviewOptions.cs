namespace Minsheng.Domain.Reviews;

/// <summary>
/// Settings of the weekly 晾晒 (configuration section <see cref="Section"/>). Gaps are in percentage points behind
/// 序时进度: green under <see cref="YellowFromPoints"/>, yellow from there up to and including
/// <see cref="RedAbovePoints"/>, red above.
/// </summary>
public sealed record ReviewOptions
{
    public const string Section = "Minsheng:Reviews";

    /// <summary>The weekly moment on Monday, in the plan's offset; the same as the weekly supervision check.</summary>
    public TimeOnly WeeklyTime { get; init; } = new(9, 0);

    /// <summary>A gap of this many points or more is yellow.</summary>
    public decimal YellowFromPoints { get; init; } = 10m;

    /// <summary>A gap of more than this many points is red.</summary>
    public decimal RedAbovePoints { get; init; } = 30m;

    public static ReviewOptions Default { get; } = new();
}
