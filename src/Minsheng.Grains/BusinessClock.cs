namespace Minsheng.Grains;

/// <summary>
/// The business clock every deadline, status and escalation reads: the system clock, or a simulated one that moves
/// only when the office moves it (<c>POST /api/v1/admin/clock</c>). Kept apart from the <see cref="TimeProvider"/>
/// Orleans itself uses, so a frozen business clock never stalls membership or reminders.
/// </summary>
public sealed class BusinessClock : TimeProvider
{
    private readonly TimeProvider? _system;
    private readonly Lock _gate = new();
    private DateTimeOffset _simulated;

    private BusinessClock(TimeProvider? system, DateTimeOffset start)
    {
        _system = system;
        _simulated = start;
    }

    public static BusinessClock FromSystem(TimeProvider? system = null) => new(system ?? TimeProvider.System, default);

    public static BusinessClock Simulated(DateTimeOffset start) => new(null, start);

    public bool IsSimulated => _system is null;

    /// <summary>Now, to the microsecond: what PostgreSQL stores, so an answer and its audit line show the same instant.</summary>
    public override DateTimeOffset GetUtcNow()
    {
        if (_system is not null) return Truncate(_system.GetUtcNow());
        lock (_gate) return Truncate(_simulated.ToUniversalTime());
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - t.Ticks % 10, t.Offset);

    /// <summary>
    /// Takes the cluster's time (a simulated clock joins the cluster's, <c>IClusterClockGrain</c>): moves forward to
    /// <paramref name="now"/> when it is later, never back. True when it moved.
    /// </summary>
    public bool Adopt(DateTimeOffset now)
    {
        if (!IsSimulated) return false;
        lock (_gate)
        {
            if (now <= _simulated) return false;
            _simulated = now;
            return true;
        }
    }

    /// <summary>Moves a simulated clock forward; refuses to move it back. Returns the instant it moved from.</summary>
    public DateTimeOffset MoveTo(DateTimeOffset to)
    {
        if (!IsSimulated) throw new InvalidOperationException("The system clock cannot be moved.");
        // Every reader converts the clock to a plan's offset (up to ±14 h): an instant that close to the ends of the
        // calendar would overflow there, so it never becomes "now". The API bounds instants far tighter.
        if (to.UtcDateTime < DateTime.MinValue.AddDays(1) || to.UtcDateTime > DateTime.MaxValue.AddDays(-1))
            throw new ArgumentOutOfRangeException(nameof(to), "The business clock cannot move to the ends of the calendar.");
        lock (_gate)
        {
            if (to < _simulated) throw new ArgumentOutOfRangeException(nameof(to), "The business clock only moves forward.");
            var from = _simulated;
            _simulated = to;
            return from;
        }
    }
}
