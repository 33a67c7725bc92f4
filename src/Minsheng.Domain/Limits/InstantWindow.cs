using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Limits;

/// <summary>
/// The span of time the service accepts instants and dates in: the loaded plans from their earliest start to their
/// latest final deadline, widened by a margin on both sides. Every instant the API accepts is checked against it, so
/// nothing outside it can reach a time-zone conversion (9999-12-31T23:59:59Z at +08:00 overflows).
/// </summary>
public sealed record InstantWindow(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The window around every plan of <paramref name="catalog"/>, widened by <paramref name="marginDays"/> on both sides.</summary>
    public static InstantWindow Around(PlanCatalog catalog, int marginDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(marginDays);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(marginDays, 36_500);
        var plans = catalog.Plans.Select(p => p.Plan).ToList();
        if (plans.Count == 0) throw new ArgumentException("The catalog holds no plan.", nameof(catalog));
        var start = plans.Min(p => new DateTimeOffset(p.Start.ToDateTime(TimeOnly.MinValue), p.Deadline.Offset));
        var end = plans.Max(p => p.FinalDeadline);
        return new InstantWindow(start.AddDays(-marginDays), end.AddDays(marginDays));
    }

    public bool Contains(DateTimeOffset instant) => instant >= From && instant <= To;

    /// <summary>A calendar date (in the plans' time zone) lies in the window when its whole day does.</summary>
    public bool Contains(DateOnly date) => date >= DateOnly.FromDateTime(From.DateTime) && date <= DateOnly.FromDateTime(To.DateTime);

    /// <summary>The window in words, for a problem's detail.</summary>
    public string Describe() => $"{From:yyyy-MM-dd} 至 {To:yyyy-MM-dd}";
}
