using System.Globalization;

namespace Minsheng.Domain.Import;

/// <summary>
/// The reading rule for the notice's schedule (e.g. “11月前全面完成、12月查漏补缺”): both dates are the last
/// second of a month of the plan's year, in the district's local time.
/// </summary>
/// <param name="DeadlineMonth">Month by whose end every task must be done (11 for “11月前全面完成”).</param>
/// <param name="FinalDeadlineMonth">Month by whose end gaps must be filled (12 for “12月查漏补缺”).</param>
/// <param name="UtcOffset">The local offset from UTC, written like <c>+08:00</c>.</param>
/// <param name="Note">Why the months were read this way; for people, the importer ignores it.</param>
public sealed record ImportSchedule(int DeadlineMonth, int FinalDeadlineMonth, string UtcOffset, string? Note = null)
{
    /// <summary>The deadline of a plan of <paramref name="year"/>.</summary>
    public DateTimeOffset Deadline(int year) => EndOfMonth(year, DeadlineMonth);

    /// <summary>The final deadline of a plan of <paramref name="year"/>.</summary>
    public DateTimeOffset FinalDeadline(int year) => EndOfMonth(year, FinalDeadlineMonth);

    private DateTimeOffset EndOfMonth(int year, int month)
    {
        if (month is < 1 or > 12)
        {
            throw new NoticeImportException($"import dictionary: schedule month {month} is not a month");
        }

        var lastDay = DateTime.DaysInMonth(year, month);
        return new DateTimeOffset(year, month, lastDay, 23, 59, 59, Offset());
    }

    private TimeSpan Offset()
    {
        // TimeSpan parsing has no sign for hh:mm, so the sign is read apart.
        var text = UtcOffset.Trim();
        var negative = text.StartsWith('-');
        if (text.Length == 0 || (text[0] is not ('+' or '-'))
            || !TimeSpan.TryParseExact(text[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var offset))
        {
            throw new NoticeImportException($"import dictionary: utcOffset '{UtcOffset}' is not like +08:00");
        }

        return negative ? -offset : offset;
    }
}
