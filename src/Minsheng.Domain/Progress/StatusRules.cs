using System.Numerics;

namespace Minsheng.Domain.Progress;

/// <summary>Decides an assignment's status at an instant (done, overdue, lagging, onTrack).</summary>
public static class StatusRules
{
    /// <summary>
    /// The lag tolerance when none is configured (<c>Minsheng:Alerts:LagTolerance</c>): supervision and the reviews
    /// both judge with the one configured value, so a unit's 滞后 in an alert and in a ranking always agree.
    /// </summary>
    public const decimal DefaultLagTolerance = 0.10m;

    /// <summary>
    /// done when the count reached the target (late if that happened after the deadline); overdue when the
    /// deadline has passed; lagging when behind the schedule by more than <paramref name="lagTolerance"/> of the
    /// target; else onTrack.
    /// </summary>
    public static StatusVerdict Evaluate(PlanTimeline timeline, long target, ProgressFact fact, DateTimeOffset now, decimal lagTolerance)
    {
        if (fact.Completed >= target)
        {
            var late = fact.DoneAt is { } doneAt && doneAt > timeline.Deadline;
            return new StatusVerdict(AssignmentStatus.Done, late);
        }
        if (now > timeline.Deadline) return new StatusVerdict(AssignmentStatus.Overdue, false);

        return new StatusVerdict(IsLagging(timeline, target, fact, now, lagTolerance) ? AssignmentStatus.Lagging : AssignmentStatus.OnTrack, false);
    }

    /// <summary>
    /// behind = expected − completed &gt; tolerance × target, decided exactly in 128-bit integers (every real plan fits:
    /// targets, ticks and the tolerance's digits multiply to far below 2^127); the rational path is kept for the rest.
    /// </summary>
    public static bool IsLagging(PlanTimeline timeline, long target, ProgressFact fact, DateTimeOffset now, decimal lagTolerance)
    {
        try
        {
            checked
            {
                var (num, den) = ScheduleRules.ExpectedParts(timeline, target, fact.Milestones, now);
                var (p, q) = DecimalParts(lagTolerance);
                // num/den > completed + p·target/q  <=>  num·q > (completed·q + p·target)·den
                return num * q > (fact.Completed * q + p * target) * den;
            }
        }
        catch (OverflowException)
        {
            return IsLaggingExact(timeline, target, fact, now, lagTolerance);
        }
    }

    /// <summary>The same decision in arbitrary-precision fractions.</summary>
    public static bool IsLaggingExact(PlanTimeline timeline, long target, ProgressFact fact, DateTimeOffset now, decimal lagTolerance)
    {
        var expected = ScheduleRules.Expected(timeline, target, fact.Milestones, now);
        var tolerance = ToFraction(lagTolerance) * target;
        var bound = tolerance + new Fraction(fact.Completed, 1);
        return expected.Numerator * bound.Denominator > bound.Numerator * expected.Denominator;
    }

    /// <summary>A non-negative decimal as mantissa / 10^scale.</summary>
    private static (Int128 P, Int128 Q) DecimalParts(decimal value)
    {
        var bits = decimal.GetBits(value);
        var scale = (bits[3] >> 16) & 0xFF;
        if (bits[2] != 0 || value < 0) throw new OverflowException();
        var mantissa = ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        Int128 q = 1;
        for (var i = 0; i < scale; i++) q = checked(q * 10);
        return (mantissa, q);
    }

    private static Fraction ToFraction(decimal value)
    {
        var bits = decimal.GetBits(value);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = new BigInteger(decimal.Truncate(value * (decimal)Math.Pow(10, scale)));
        return new Fraction(mantissa, BigInteger.Pow(10, scale));
    }
}
