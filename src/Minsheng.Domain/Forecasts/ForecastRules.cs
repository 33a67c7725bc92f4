using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Forecasts;

/// <summary>
/// The forecast of one assignment metric from its unit's own pace (issue 22). The method, chosen to be robust and
/// checkable by hand:
/// <list type="number">
/// <item>Done (count ≥ target): expected = when it was done; never at risk.</item>
/// <item>Too little data: no report yet, or the plan has run less than <see cref="MinHistory"/>: no forecast.</item>
/// <item>Recent pace: (count now − count at now − <see cref="Window"/>) ÷ window, when the metric had a report by the
/// window's start; a correction downward counts as no progress (the pace is never negative). When its history is
/// shorter than the window, the overall pace instead: count now ÷ (now − plan start).</item>
/// <item>Expected = now + (target − count) ÷ pace, rounded up to the second; no expected instant when the pace is nil.</item>
/// <item>Range: the same from the faster and the slower of the recent and the overall pace (only the overall one
/// when the history is shorter than the window); the latest is null when the slower pace is nil.</item>
/// <item>At risk: not done, and expected after the deadline or not at all.</item>
/// </list>
/// Counts are the counted ones (reports approved under sign-off); instants in the plan's offset.
/// </summary>
public static class ForecastRules
{
    /// <summary>The recent window whose pace the forecast follows.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(28);

    /// <summary>How long a plan must have run before anything is forecast.</summary>
    public static readonly TimeSpan MinHistory = TimeSpan.FromDays(14);

    /// <summary>The forecast of one assignment metric at <paramref name="now"/>.</summary>
    public static Forecast Of(ForecastInput input, PlanTimeline timeline, DateTimeOffset now)
    {
        now = now.ToOffset(timeline.Offset);
        if (input.Completed >= input.Target && input.Target > 0)
        {
            var done = input.DoneAt?.ToOffset(timeline.Offset) ?? now;
            return new Forecast(done, done, done, false, ForecastMethod.Done);
        }
        if (!input.Reported) return Forecast.NoData("尚无上报，无法预测");
        var elapsed = now - timeline.Start;
        if (elapsed < MinHistory) return Forecast.NoData($"计划开始不足 {MinHistory.TotalDays:0} 天，数据不足，无法预测");

        var remaining = input.Target - input.Completed;
        var overall = new Pace(Math.Max(0, input.Completed), elapsed);
        Pace? recent = input.WindowStartCompleted is { } startCount ? new Pace(Math.Max(0, input.Completed - startCount), Window) : null;
        var chosen = recent ?? overall;
        var method = recent is null ? ForecastMethod.OverallRate : ForecastMethod.RecentRate;

        var expected = chosen.Finish(now, remaining);
        var (fast, slow) = recent is null ? (overall, overall) : Pace.Order(recent, overall);
        var earliest = fast.Finish(now, remaining);
        var latest = slow.Finish(now, remaining);
        var atRisk = expected is null || expected > timeline.Deadline;
        var reason = expected is null
            ? (recent is null ? "自计划开始没有进展，按此进度无法完成" : $"近 {Window.TotalDays:0} 天没有进展，按此进度无法完成")
            : null;
        return new Forecast(expected, earliest, latest, atRisk, method, reason);
    }

    /// <summary>A pace: so much progress in so long. Compared and projected exactly, in whole ticks.</summary>
    private sealed record Pace(long Progress, TimeSpan Over)
    {
        /// <summary>now + remaining × over ÷ progress, rounded up to the second; null when there is no progress.</summary>
        public DateTimeOffset? Finish(DateTimeOffset now, long remaining)
        {
            if (Progress <= 0) return null;
            var ticks = (System.Numerics.BigInteger)remaining * Over.Ticks;
            var seconds = (ticks + Progress * TimeSpan.TicksPerSecond - 1) / (Progress * TimeSpan.TicksPerSecond);
            // Beyond what an instant holds is never, at this pace, as far as a deadline is concerned.
            if (seconds > (long)(DateTimeOffset.MaxValue - now).TotalSeconds - 1) return null;
            return now.AddSeconds((double)seconds);
        }

        /// <summary>The faster pace first (progress per tick compared exactly by cross-multiplying).</summary>
        public static (Pace Fast, Pace Slow) Order(Pace a, Pace b) =>
            (System.Numerics.BigInteger)a.Progress * b.Over.Ticks >= (System.Numerics.BigInteger)b.Progress * a.Over.Ticks ? (a, b) : (b, a);
    }

    /// <summary>
    /// The forecast of something made of parts (an assignment's metrics; a unit's, task's, project's or plan's
    /// assignments): done when the last part is done, so the latest of the parts' expected instants (and of their
    /// ranges); at risk when any part is; no expected instant when a part will not finish at its pace. Parts without a
    /// forecast (too little data) are left out, and the reason says how many; with none forecast, none.
    /// </summary>
    public static Forecast OfParts(IReadOnlyCollection<Forecast> parts)
    {
        if (parts.Count == 0) return Forecast.NoData("没有分解任务");
        var known = parts.Where(p => p.Method != ForecastMethod.None).ToList();
        if (known.Count == 0) return Forecast.NoData("各分解任务数据均不足，无法预测");
        if (known.Count == 1 && parts.Count == 1) return known[0];
        var never = known.Any(p => p.ExpectedDoneAt is null);
        var expected = never ? null : known.Max(p => p.ExpectedDoneAt);
        var earliest = known.Any(p => p.Earliest is null) ? null : known.Max(p => p.Earliest);
        var latest = known.Any(p => p.Latest is null) ? null : known.Max(p => p.Latest);
        var allDone = known.Count == parts.Count && known.All(p => p.Method == ForecastMethod.Done);
        var missing = parts.Count - known.Count;
        var reason = missing > 0 ? $"{missing} 项数据不足，未计入预测" : never ? "有分解任务按当前进度无法完成" : null;
        return new Forecast(expected, earliest, latest, known.Any(p => p.AtRisk), allDone ? ForecastMethod.Done : ForecastMethod.LastOfParts, reason);
    }
}
