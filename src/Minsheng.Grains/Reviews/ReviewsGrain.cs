using Minsheng.Domain.Progress;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;

namespace Minsheng.Grains.Reviews;

/// <summary>
/// Publishes a plan's reviews on the business clock: each weekly ranking, monthly evaluation and the year-end input
/// is computed once from the report log's facts at its own instant (a report accepted after Monday 09:00 never counts
/// for that Monday, however late this runs), stored as a row of the review store, announced as a <c>ranking</c> or
/// <c>evaluation</c> event, and never recomputed. The grain holds only which reviews exist; documents are read from the
/// store on demand. The supervisor calls <see cref="CatchUp"/> when the plan's schedule wakes it.
/// </summary>
public sealed class ReviewsGrain(
    [PersistentState(StorageNames.ReviewsState, StorageNames.Facts)] IPersistentState<ReviewsBook> legacy,
    PlanCatalog catalog,
    IReportLog log,
    IReviewStore store,
    Routing.EventOutbox outbox,
    IServiceProvider services,
    ILogger<ReviewsGrain> logger) : Grain, IReviewsGrain
{
    private PlanIndex _plan = null!;
    private ReviewOptions _options = ReviewOptions.Default;
    private MonthlyEvaluationOptions _monthly = MonthlyEvaluationOptions.Default;
    private FinalEvaluationOptions _final = FinalEvaluationOptions.Default;
    private ReviewCalendar _calendar = null!;
    private decimal _lagTolerance = StatusRules.DefaultLagTolerance;
    private readonly SortedSet<string> _weeks = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _months = new(StringComparer.Ordinal);
    private bool _hasFinal;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _plan = catalog.Get(this.GetPrimaryKeyString());
        _options = services.GetService<ReviewOptions>() ?? ReviewOptions.Default;
        _monthly = services.GetService<MonthlyEvaluationOptions>() ?? MonthlyEvaluationOptions.Default;
        _final = services.GetService<FinalEvaluationOptions>() ?? FinalEvaluationOptions.Default;
        // The same tolerance supervision judges with, so a ranking's lagging units are the alerts' lagging units.
        _lagTolerance = services.GetService<IOptions<SupervisionOptions>>()?.Value.LagTolerance ?? StatusRules.DefaultLagTolerance;
        _calendar = new ReviewCalendar(PlanTimeline.Of(_plan.Plan), _options);
        await MoveLegacyBook(cancellationToken);
        foreach (var key in await store.Keys(_plan.Id, cancellationToken)) Remember(key);
    }

    /// <summary>
    /// A book of reviews stored whole by an earlier version (grain state) moves into the store once: its rows are
    /// inserted (kept if already there), then the state is cleared.
    /// </summary>
    private async Task MoveLegacyBook(CancellationToken cancellationToken)
    {
        if (!legacy.RecordExists) return;
        var book = legacy.State;
        var rows = book.Weeks.Select(w => new StoredReview(new ReviewKey(ReviewKind.Weekly, w.Key), w.Value))
            .Concat(book.Months.Select(m => new StoredReview(new ReviewKey(ReviewKind.Monthly, m.Key), m.Value)))
            .Concat(book.Final is { } final ? [new StoredReview(ReviewKey.Final, final)] : [])
            .ToList();
        await store.Publish(_plan.Id, rows, [], cancellationToken);
        await legacy.ClearStateAsync(cancellationToken);
        logger.LogInformation("Moved {Count} reviews of {Plan} from grain state into the review store", rows.Count, _plan.Id);
    }

    public async Task CatchUp(DateTimeOffset now, IReadOnlyList<SupervisionCase> cases)
    {
        var weeks = _calendar.Weeks().Where(w => _calendar.PublishedAt(w) <= now && !_weeks.Contains(w.ToString())).ToList();
        var months = _calendar.Months().Where(m => _calendar.EvaluatedAt(m) <= now && !_months.Contains(m.ToString())).ToList();
        var final = !_hasFinal && _calendar.Timeline.FinalDeadline <= now;
        if (weeks.Count == 0 && months.Count == 0 && !final) return;

        // Each review is judged on the facts at its own instant, read for all of them at once and incrementally (the rows
        // standing at the first, then only those stamped since), never the plan's whole log.
        var factsAt = await log.FactsAt(_plan, weeks.Select(_calendar.PublishedAt)
            .Concat(weeks.Select(w => _calendar.PublishedAt(w) - Minsheng.Domain.Forecasts.ForecastRules.Window))
            .Concat(months.Select(_calendar.EvaluatedAt))
            .Concat(final ? [_calendar.Timeline.FinalDeadline] : []));
        var events = new List<Messages.PlanEvent>();
        var rows = new List<StoredReview>();
        var notices = new List<Minsheng.Domain.Notifications.Notice>();
        var noticeBuilder = new Minsheng.Domain.Notifications.NoticeBuilder(_plan);

        var builder = new WeeklyRankingBuilder(_plan, _options, _lagTolerance);
        var built = new List<WeeklyRanking>();
        foreach (var week in weeks)
        {
            var before = IsoWeek.Of(week.Monday.AddDays(-7));
            var previous = built.LastOrDefault(r => r.Week == before.ToString()) ?? await Read<WeeklyRanking>(new ReviewKey(ReviewKind.Weekly, before.ToString()));
            var ranking = builder.Build(week, factsAt[_calendar.PublishedAt(week)], previous,
                factsAt[_calendar.PublishedAt(week) - Minsheng.Domain.Forecasts.ForecastRules.Window]);
            built.Add(ranking);
            rows.Add(new StoredReview(new ReviewKey(ReviewKind.Weekly, week.ToString()), JsonSerializer.Serialize(ranking, PlanEvents.Json)));
            events.Add(PlanEvents.Create(_plan.Id, PlanEventKind.Ranking, new RankingEventData(ranking.Week, ranking.PublishedAt), ranking.PublishedAt));
            notices.Add(noticeBuilder.RankingPublished(ranking));
        }

        var evaluated = new List<MonthlyEvaluation>();
        if (months.Count > 0)
        {
            // The weekly rankings, read once from the store (a month is evaluated on the weeks it holds).
            var rankings = (await ReadAll<WeeklyRanking>(ReviewKind.Weekly)).Concat(built).ToList();
            var evaluator = new MonthlyEvaluator(_plan, _options, _monthly, _lagTolerance);
            foreach (var month in months)
            {
                var at = _calendar.EvaluatedAt(month);
                var previous = evaluated.LastOrDefault(e => e.Month == month.Previous.ToString())
                    ?? await Read<MonthlyEvaluation>(new ReviewKey(ReviewKind.Monthly, month.Previous.ToString()));
                var evaluation = evaluator.Evaluate(month, factsAt[at], rankings, cases.Where(c => c.OpenedAt <= at), previous);
                evaluated.Add(evaluation);
                rows.Add(new StoredReview(new ReviewKey(ReviewKind.Monthly, month.ToString()), JsonSerializer.Serialize(evaluation, PlanEvents.Json)));
                events.Add(PlanEvents.Create(_plan.Id, PlanEventKind.Evaluation, new EvaluationEventData(evaluation.Month, evaluation.EvaluatedAt), at));
                notices.Add(noticeBuilder.EvaluationPublished(evaluation));
            }
        }

        if (final)
        {
            var months12 = (await ReadAll<MonthlyEvaluation>(ReviewKind.Monthly)).Concat(evaluated).ToList();
            var result = new FinalEvaluator(_plan, _final, _lagTolerance).Evaluate(factsAt[_calendar.Timeline.FinalDeadline], months12, cases);
            rows.Add(new StoredReview(ReviewKey.Final, JsonSerializer.Serialize(result, PlanEvents.Json)));
            events.Add(PlanEvents.Create(_plan.Id, PlanEventKind.Evaluation, new EvaluationEventData("final", result.EvaluatedAt), result.EvaluatedAt));
            notices.Add(noticeBuilder.FinalEvaluationPublished(result));
        }

        try
        {
            // The reviews and the notices announcing them are one write.
            await store.Publish(_plan.Id, rows, notices);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Publishing reviews of {Plan} failed; discarding the activation", _plan.Id);
            DeactivateOnIdle();
            throw;
        }
        foreach (var row in rows) Remember(row.Key);
        outbox.Publish(_plan.Id, [.. events]);
    }

    public Task<string?> GetWeekly(string? isoWeek)
    {
        var key = isoWeek ?? _weeks.Max;
        return key is null || !_weeks.Contains(key) ? Task.FromResult<string?>(null) : store.Read(_plan.Id, new ReviewKey(ReviewKind.Weekly, key));
    }

    public Task<string?> GetEvaluation(string month)
    {
        if (month == ReviewKey.FinalKey) return _hasFinal ? store.Read(_plan.Id, ReviewKey.Final) : Task.FromResult<string?>(null);
        return _months.Contains(month) ? store.Read(_plan.Id, new ReviewKey(ReviewKind.Monthly, month)) : Task.FromResult<string?>(null);
    }

    /// <summary>Awaits this silo's outboxes for the plan: the reviews announced so far have reached the live events.</summary>
    public Task Settle() => Routing.Settling.SettleSilo(services, _plan.Id);

    public Task<PublishedReviews> GetPublished() => Task.FromResult(new PublishedReviews([.. _weeks], [.. _months], _hasFinal));

    private void Remember(ReviewKey key)
    {
        switch (key.Kind)
        {
            case ReviewKind.Weekly: _weeks.Add(key.Key); break;
            case ReviewKind.Monthly: _months.Add(key.Key); break;
            case ReviewKind.Final: _hasFinal = true; break;
        }
    }

    private async Task<T?> Read<T>(ReviewKey key) where T : class =>
        IsPublished(key) && await store.Read(_plan.Id, key) is { } json ? JsonSerializer.Deserialize<T>(json, PlanEvents.Json) : null;

    private async Task<IReadOnlyList<T>> ReadAll<T>(ReviewKind kind) =>
        (await store.ReadAll(_plan.Id, kind)).Select(r => JsonSerializer.Deserialize<T>(r.Json, PlanEvents.Json)!).ToList();

    private bool IsPublished(ReviewKey key) => key.Kind switch
    {
        ReviewKind.Weekly => _weeks.Contains(key.Key),
        ReviewKind.Monthly => _months.Contains(key.Key),
        _ => _hasFinal,
    };
}
