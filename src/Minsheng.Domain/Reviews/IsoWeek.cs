using System.Globalization;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// An ISO 8601 week (<c>2024-W23</c>): weeks start on Monday and week 1 holds the year's first Thursday, so the
/// Monday of <c>2025-W01</c> is 2024-12-30. The weekly 晾晒 of a week is published on its Monday.
/// </summary>
public readonly record struct IsoWeek(int Year, int Week) : IComparable<IsoWeek>
{
    /// <summary>The week holding a calendar date.</summary>
    public static IsoWeek Of(DateOnly date)
    {
        var dt = date.ToDateTime(TimeOnly.MinValue);
        return new IsoWeek(ISOWeek.GetYear(dt), ISOWeek.GetWeekOfYear(dt));
    }

    /// <summary>Parses <c>yyyy-Www</c>; false for anything else, including week 53 of a year that has none.</summary>
    public static bool TryParse(string? text, out IsoWeek week)
    {
        week = default;
        if (text is not { Length: 8 } || text[4] != '-' || text[5] != 'W') return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)) return false;
        if (!int.TryParse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        if (year < 1 || number < 1 || number > ISOWeek.GetWeeksInYear(year)) return false;
        week = new IsoWeek(year, number);
        return true;
    }

    /// <summary>The Monday of the week.</summary>
    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday));

    /// <summary>The week after this one.</summary>
    public IsoWeek Next => Of(Monday.AddDays(7));

    public int CompareTo(IsoWeek other) => (Year, Week).CompareTo((other.Year, other.Week));

    public static bool operator <(IsoWeek a, IsoWeek b) => a.CompareTo(b) < 0;

    public static bool operator >(IsoWeek a, IsoWeek b) => a.CompareTo(b) > 0;

    public static bool operator <=(IsoWeek a, IsoWeek b) => a.CompareTo(b) <= 0;

    public static bool operator >=(IsoWeek a, IsoWeek b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Year:D4}-W{Week:D2}";
}
