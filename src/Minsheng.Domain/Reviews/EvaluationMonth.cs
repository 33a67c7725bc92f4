using System.Globalization;

namespace Minsheng.Domain.Reviews;

/// <summary>A calendar month (<c>2024-06</c>) in the plan's offset: the period of one monthly 评估.</summary>
public readonly record struct EvaluationMonth(int Year, int Month) : IComparable<EvaluationMonth>
{
    public static EvaluationMonth Of(DateOnly date) => new(date.Year, date.Month);

    /// <summary>Parses <c>yyyy-MM</c>; false for anything else.</summary>
    public static bool TryParse(string? text, out EvaluationMonth month)
    {
        month = default;
        if (!DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return false;
        month = Of(date);
        return true;
    }

    public DateOnly FirstDay => new(Year, Month, 1);

    /// <summary>The month's last day; computed without moving past it, so December 9999 has one too.</summary>
    public DateOnly LastDay => new(Year, Month, DateTime.DaysInMonth(Year, Month));

    public EvaluationMonth Next => Of(FirstDay.AddMonths(1));

    public EvaluationMonth Previous => Of(FirstDay.AddMonths(-1));

    public int CompareTo(EvaluationMonth other) => (Year, Month).CompareTo((other.Year, other.Month));

    public static bool operator <(EvaluationMonth a, EvaluationMonth b) => a.CompareTo(b) < 0;

    public static bool operator >(EvaluationMonth a, EvaluationMonth b) => a.CompareTo(b) > 0;

    public static bool operator <=(EvaluationMonth a, EvaluationMonth b) => a.CompareTo(b) <= 0;

    public static bool operator >=(EvaluationMonth a, EvaluationMonth b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
