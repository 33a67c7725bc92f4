using System.Globalization;
using System.Text;

namespace Minsheng.Silo.Tests.Nemesis;

/// <summary>What the nemesis does to the cluster.</summary>
public enum FaultKind
{
    /// <summary>SIGKILL a silo; start it again after the hold.</summary>
    Kill,

    /// <summary>SIGTERM a silo (it leaves the cluster); start it again after the hold.</summary>
    Term,

    /// <summary>SIGSTOP a silo for the hold (longer than the membership timeout: the others declare it dead), then SIGCONT.</summary>
    Pause,

    /// <summary>Stop PostgreSQL under the service; start it again after the hold.</summary>
    RestartPostgres,
}

/// <summary>One fault: when (from the start of the run), what, which silo (0-based; none for PostgreSQL), for how long.</summary>
public sealed record Fault(TimeSpan At, FaultKind Kind, int Silo, TimeSpan Hold)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"t+{At.TotalSeconds,6:F1}s {Kind,-15} {(Kind == FaultKind.RestartPostgres ? "postgres" : $"silo{Silo + 1}"),-8} hold {Hold.TotalSeconds:F1}s");
}

/// <summary>One move of the simulated business clock, to a Monday 09:00 (weekly 晾晒) or the first moment of a month (monthly 评估).</summary>
public sealed record ClockMove(TimeSpan At, DateTimeOffset To)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"t+{At.TotalSeconds,6:F1}s clock -> {To:yyyy-MM-dd HH:mm zzz} ({To:ddd})");
}

/// <summary>
/// The nemesis's plan, drawn from a seed before the run and printed, so a failing run can be replayed exactly: faults one
/// at a time with a quiet gap after each (the cluster is never asked to survive two silos down at once), and clock moves
/// through the calendar's Mondays 09:00 and month ends on their own rhythm, overlapping the faults.
/// </summary>
public sealed record NemesisSchedule(int Seed, TimeSpan Length, IReadOnlyList<Fault> Faults, IReadOnlyList<ClockMove> ClockMoves)
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <param name="seed">Every draw comes from it.</param>
    /// <param name="length">Faults start within it; the run ends after the last one's hold.</param>
    /// <param name="pause">How long a paused silo stays frozen (above the membership's time to declare it dead).</param>
    /// <param name="clockFrom">The business clock at the start (the plan's start).</param>
    public static NemesisSchedule Draw(int seed, TimeSpan length, TimeSpan pause, DateTimeOffset clockFrom)
    {
        var random = new Random(seed);
        var faults = new List<Fault>();
        var at = TimeSpan.FromSeconds(random.Next(2, 5));
        var kinds = new[] { FaultKind.Kill, FaultKind.Kill, FaultKind.Term, FaultKind.Pause, FaultKind.RestartPostgres };
        // The first four faults are one of each kind (in a drawn order), so even the shortest run has every kind.
        FaultKind[] firstFour = [.. new[] { FaultKind.Kill, FaultKind.Term, FaultKind.Pause, FaultKind.RestartPostgres }.OrderBy(_ => random.Next())];
        var order = 0;
        while (at < length)
        {
            var kind = order < firstFour.Length ? firstFour[order] : kinds[random.Next(kinds.Length)];
            order++;
            var hold = kind switch
            {
                FaultKind.Pause => pause,
                FaultKind.RestartPostgres => TimeSpan.FromMilliseconds(random.Next(1000, 4000)),
                _ => TimeSpan.FromMilliseconds(random.Next(500, 3000)),
            };
            faults.Add(new Fault(at, kind, kind == FaultKind.RestartPostgres ? -1 : random.Next(3), hold));
            at += hold + TimeSpan.FromMilliseconds(random.Next(6000, 10000));
        }

        var moves = new List<ClockMove>();
        var clock = clockFrom;
        for (var t = TimeSpan.FromSeconds(random.Next(1, 3)); t < at; t += TimeSpan.FromMilliseconds(random.Next(1500, 3500)))
        {
            clock = NextCalendarMoment(clock);
            moves.Add(new ClockMove(t, clock));
        }
        return new NemesisSchedule(seed, at, faults, moves);
    }

    /// <summary>The next Monday 09:00 or first of a month 00:00 (Asia/Shanghai) after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextCalendarMoment(DateTimeOffset after)
    {
        var local = after.ToOffset(Shanghai);
        var day = new DateTimeOffset(local.Date, Shanghai);
        var monday = day.AddDays(((int)DayOfWeek.Monday - (int)day.DayOfWeek + 7) % 7).AddHours(9);
        if (monday <= local) monday = monday.AddDays(7);
        var month = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, Shanghai).AddMonths(1);
        return monday < month ? monday : month;
    }

    /// <summary>The whole schedule, one line per step in time order, with the seed and how to replay it.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"nemesis seed {Seed}, {Length.TotalSeconds:F0} s, {Faults.Count} faults, {ClockMoves.Count} clock moves " +
            $"(replay: MINSHENG_NEMESIS_SEED={Seed} MINSHENG_NEMESIS_SECONDS=<the same length>)");
        foreach (var line in Faults.Select(f => (f.At, Text: f.ToString())).Concat(ClockMoves.Select(m => (m.At, Text: m.ToString()))).OrderBy(x => x.At))
            text.AppendLine(line.Text);
        return text.ToString();
    }
}
