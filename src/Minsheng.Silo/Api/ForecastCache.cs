using System.Collections.Concurrent;
using Minsheng.Domain.Forecasts;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains.ReportLog;

namespace Minsheng.Silo.Api;

/// <summary>
/// Each plan's forecasts now (<see cref="PlanForecasts"/>), for <c>GET .../forecasts</c> and the rollup views that carry
/// them. Made from two reads of the report log (every assignment's row now and at the start of the recent window), so
/// made once and held: per plan, for its log position (<see cref="IReportLog.LastSeq"/>, one step on the primary key)
/// and the business clock's minute. A read costs that one step while neither moves; a new report or plan change, or
/// the next minute, makes them again on the next read (concurrent readers share one making). "Now" is judged at the
/// start of the current minute, from every row accepted so far (so a view read after a report includes it).
/// As-of reads do not use it: <see cref="AsOf"/> computes directly.
/// </summary>
public sealed class ForecastCache(IReportLog log)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The plan's forecasts at <paramref name="now"/>'s minute, made at most once per log position and minute.</summary>
    public async Task<ForecastLookup> Now(PlanIndex plan, DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, now.Offset);
        var seq = await log.LastSeq(plan.Id);
        var fresh = new Entry(plan, seq, minute, new Lazy<Task<ForecastLookup>>(() => Make(plan, now, minute)));
        var entry = _entries.AddOrUpdate(plan.Id, fresh, (_, held) => held.Serves(plan, seq, minute) ? held : fresh);
        return await entry.Lookup.Value;
    }

    /// <summary>The plan's forecasts as of <paramref name="at"/>, given its facts then: one more read, of the window's start.</summary>
    public async Task<ForecastLookup> AsOf(PlanIndex plan, IReadOnlyDictionary<AssignmentKey, ProgressFact> factsAt, DateTimeOffset at) =>
        new(plan, PlanForecasts.Of(plan, factsAt, await log.FactsAt(plan, at - ForecastRules.Window), at));

    /// <summary>Plans held now (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    private async Task<ForecastLookup> Make(PlanIndex plan, DateTimeOffset now, DateTimeOffset minute)
    {
        var facts = await log.FactsAt(plan, now);
        var windowStart = await log.FactsAt(plan, minute - ForecastRules.Window);
        return new ForecastLookup(plan, PlanForecasts.Of(plan, facts, windowStart, minute));
    }

    private sealed record Entry(PlanIndex Plan, long Seq, DateTimeOffset Minute, Lazy<Task<ForecastLookup>> Lookup)
    {
        /// <summary>Whether this entry answers for the plan at that position and minute (and did not fail).</summary>
        public bool Serves(PlanIndex plan, long seq, DateTimeOffset minute) =>
            ReferenceEquals(Plan, plan) && Seq == seq && Minute == minute && !(Lookup.IsValueCreated && Lookup.Value.IsFaulted);
    }
}
