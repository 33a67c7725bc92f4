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
/// for that Monday, however late this runs), stored, announced as a <c>ranking</c> or <c>evaluation</c> event, and
/// never recomputed. The supervisor calls <see cref="CatchUp"/> whenever it advances.
/// </summary>
public sealed class ReviewsGrain(
    [PersistentState(StorageNames.ReviewsState, StorageNames.Facts)] IPersistentState<ReviewsBook> state,
    PlanCatalog catalog,
    IReportLog log,
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

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _plan = catalog.Get(this.GetPrimaryKeyString());
        _options = services.GetService<ReviewOptions>() ?? ReviewOptions.Default;
        _monthly = services.GetService<MonthlyEvaluationOptions>() ?? MonthlyEvaluationOptions.Default;
        _final = services.GetService<FinalEvaluationOptions>() ?? FinalEvaluationOptions.Default;
        // The same tolerance supervision judges with, so a ranking's lagging units are the alerts' lagging units.
        _lagTolerance = services.GetService<IOptions<SupervisionOptions>>()?.Value.LagTolerance ?? StatusRules.DefaultLagTolerance;
        _calendar = new ReviewCalendar(PlanTimeline.Of(_plan.Plan), _options);
        return Task.CompletedTask;
    }

    public async Task CatchUp(DateTimeOffset now, IReadOnlyList<SupervisionCase> cases)
    {
        var weeks = _calendar.Weeks().Where(w => _calendar.PublishedAt(w) <= now && !state.State.Weeks.ContainsKey(w.ToString())).ToList();
        var months = _calendar.Months().Where(m => _calendar.EvaluatedAt(m) <= now && !state.State.Months.ContainsKey(m.ToString())).ToList();
        var final = state.State.Final is null && _calendar.Timeline.FinalDeadline <= now;
        if (weeks.Count == 0 && months.Count == 0 && !final) return;

        // Each review is judged on the facts at its own instant: one index read per instant, not the plan's whole log.
        var events = new List<Messages.PlanEvent>();

        var builder = new WeeklyRankingBuilder(_plan, _options, _lagTolerance);
        foreach (var week in weeks)
        {
            var previous = Weekly(IsoWeek.Of(week.Monday.AddDays(-7)));
            var ranking = builder.Build(week, await log.FactsAt(_plan, _calendar.PublishedAt(week)), previous);
            state.State.Weeks[week.ToString()] = JsonSerializer.Serialize(ranking, PlanEvents.Json);
            events.Add(PlanEvents.Create(_plan.Id, PlanEventKind.Ranking, new RankingEventData(ranking.Week, ranking.PublishedAt), ranking.PublishedAt));
        }

        var evaluator = new MonthlyEvaluator(_plan, _options, _monthly, _lagTolerance);
        var rankings = state.State.Weeks.Values.Select(j => JsonSerializer.Deserialize<WeeklyRanking>(j, PlanEvents.Json)!).ToList();
        foreach (var month in months)
        {
            var at = _calendar.EvaluatedAt(month);
            var previous = Monthly(month.Previous);
            var evaluation = evaluator.Evaluate(month, await log.FactsAt(_plan, at), rankings, cases.Where(c => c.OpenedAt <= at), previous);
            state.State.Months[month.ToString()] = JsonSerializer.Serialize(evaluation, PlanEvents.Json);
            events.Add(PlanEvents.Create(_plan.Id, PlanEventKind.Evaluation, new EvaluationEventData(evaluation.Month, evaluation.EvaluatedAt), at));
        }

        if (final)
        {
            var months12 = state.State.Months.Values.Select(j => JsonSerializer.Deserialize<MonthlyEvaluation>(j, PlanEvents.Json)!).ToList();
            var result = new FinalEvaluator(_plan, _final, _lagTolerance).Evaluate(await log.FactsAt(_plan, _calendar.Timeline.FinalDeadline), months12, cases);
            state.State.Final = JsonSerializer.Serialize(result, PlanEvents.Json);
            events.Add(PlanEvents.Create(_plan.Id, PlanEventKind.Evaluation, new EvaluationEventData("final", result.EvaluatedAt), result.EvaluatedAt));
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Publishing reviews of {Plan} failed; discarding the activation", _plan.Id);
            DeactivateOnIdle();
            throw;
        }
        outbox.Publish(_plan.Id, [.. events]);
    }

    public Task<string?> GetWeekly(string? isoWeek) => Task.FromResult(isoWeek is null
        ? state.State.Weeks.Values.LastOrDefault()
        : state.State.Weeks.GetValueOrDefault(isoWeek));

    public Task<string?> GetEvaluation(string month) => Task.FromResult(month == "final"
        ? state.State.Final
        : state.State.Months.GetValueOrDefault(month));

    /// <summary>Awaits this silo's outboxes for the plan: the reviews announced so far have reached the live events.</summary>
    public Task Settle() => Routing.Settling.SettleSilo(services, _plan.Id);

    public Task<PublishedReviews> GetPublished() =>
        Task.FromResult(new PublishedReviews([.. state.State.Weeks.Keys], [.. state.State.Months.Keys], state.State.Final is not null));

    private WeeklyRanking? Weekly(IsoWeek week) =>
        state.State.Weeks.TryGetValue(week.ToString(), out var json) ? JsonSerializer.Deserialize<WeeklyRanking>(json, PlanEvents.Json) : null;

    private MonthlyEvaluation? Monthly(EvaluationMonth month) =>
        state.State.Months.TryGetValue(month.ToString(), out var json) ? JsonSerializer.Deserialize<MonthlyEvaluation>(json, PlanEvents.Json) : null;
}
