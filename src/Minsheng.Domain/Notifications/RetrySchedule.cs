namespace Minsheng.Domain.Notifications;

/// <summary>
/// When a failed delivery is tried again: after the first failure <see cref="FirstRetryDelay"/>, doubling with each
/// further failure up to <see cref="MaxRetryDelay"/>; and when it is given up (measured from its first attempt).
/// </summary>
public sealed record RetrySchedule(TimeSpan FirstRetryDelay, TimeSpan MaxRetryDelay)
{
    /// <summary>The pause after the <paramref name="failedAttempts"/>-th failed attempt (1 for the first).</summary>
    public TimeSpan Delay(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        if (FirstRetryDelay >= MaxRetryDelay) return MaxRetryDelay;
        var doublings = failedAttempts - 1;
        // Doubling past the bound stops at the bound; 2^doublings is never computed once it cannot matter.
        if (doublings >= 62) return MaxRetryDelay;
        var ticks = FirstRetryDelay.Ticks;
        return ticks > MaxRetryDelay.Ticks >> doublings ? MaxRetryDelay : TimeSpan.FromTicks(ticks << doublings);
    }

    /// <summary>When the next attempt is due after the <paramref name="failedAttempts"/>-th failure, which ended at <paramref name="failedAt"/>.</summary>
    public DateTimeOffset NextAttemptAt(int failedAttempts, DateTimeOffset failedAt) => failedAt + Delay(failedAttempts);

    /// <summary>Whether a delivery first tried at <paramref name="firstAttemptAt"/> is given up at <paramref name="now"/>.</summary>
    public static bool GivesUp(DateTimeOffset firstAttemptAt, DateTimeOffset now, TimeSpan giveUpAfter) => now - firstAttemptAt >= giveUpAfter;
}
