using System.Numerics;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Supervision;

/// <summary>Decides an assignment's status at an instant (done, overdue, lagging, onTrack).</summary>
public static class StatusRules
{
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

        var expected = ScheduleRules.Expected(timeline, target, fact.Milestones, now);
        var tolerance = ToFraction(lagTolerance) * target;
        // behind = expected - completed > tolerance  <=>  expected > completed + tolerance
        var bound = tolerance + new Fraction(fact.Completed, 1);
        var lagging = expected.Numerator * bound.Denominator > bound.Numerator * expected.Denominator;
        return new StatusVerdict(lagging ? AssignmentStatus.Lagging : AssignmentStatus.OnTrack, false);
    }

    private static Fraction ToFraction(decimal value)
    {
        var bits = decimal.GetBits(value);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = new BigInteger(decimal.Truncate(value * (decimal)Math.Pow(10, scale)));
        return new Fraction(mantissa, BigInteger.Pow(10, scale));
    }
}
