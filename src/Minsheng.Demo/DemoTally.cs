namespace Minsheng.Demo;

/// <summary>What the demo has posted so far and how the host answered; thread-safe counters.</summary>
public sealed class DemoTally
{
    private int _reports, _corrections, _refused, _schedules, _responses;

    /// <summary>Accepted reports, corrections included.</summary>
    public int Reports => Volatile.Read(ref _reports);

    /// <summary>Accepted corrections.</summary>
    public int Corrections => Volatile.Read(ref _corrections);

    /// <summary>Anything the host refused (logged as it happens).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Schedules set.</summary>
    public int Schedules => Volatile.Read(ref _schedules);

    /// <summary>Case responses given.</summary>
    public int Responses => Volatile.Read(ref _responses);

    /// <summary>Counts an accepted report.</summary>
    public void Report(bool correction)
    {
        Interlocked.Increment(ref _reports);
        if (correction) Interlocked.Increment(ref _corrections);
    }

    /// <summary>Counts a refusal; returns how many there have been.</summary>
    public int Refusal() => Interlocked.Increment(ref _refused);

    /// <summary>Counts a schedule set.</summary>
    public void Schedule() => Interlocked.Increment(ref _schedules);

    /// <summary>Counts a case response given.</summary>
    public void Response() => Interlocked.Increment(ref _responses);
}
