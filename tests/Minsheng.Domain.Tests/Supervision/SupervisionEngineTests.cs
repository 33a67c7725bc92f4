using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Tests.Supervision;

/// <summary>
/// Supervision on a small plan, straight on the engine: one task (10 个: district 4 led by d, street a 6), project led by
/// leader L; plan from 2024-01-01 to 2024-01-31 23:59:59 (+08:00), final deadline 2024-02-29.
/// </summary>
public sealed class SupervisionEngineTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly PlanIndex Plan = new(new Plan(
        "p", "计划", 2024, new DateOnly(2024, 1, 1),
        new DateTimeOffset(2024, 1, 31, 23, 59, 59, Cst), new DateTimeOffset(2024, 2, 29, 23, 59, 59, Cst),
        [new("a", "甲")], [new("d", "丁局")], [new("L", "领导")],
        [new("1", "项目", "", ["L"], ["d"], [], ["1.1"])],
        [new("1.1", "1", "任务", "d", [new("main", "任务", "个", 10)], [new("district", "main", 4), new("a", "main", 6)])]));

    private static readonly AssignmentKey District = new("1.1", "district", "main");
    private static readonly AssignmentKey Street = new("1.1", "a", "main");

    private static DateTimeOffset At(int month, int day, int hour = 0) => new(2024, month, day, hour, 0, 0, Cst);

    [Fact]
    public void The_deadline_opens_one_case_per_unfinished_assignment_and_running_again_adds_nothing()
    {
        var engine = new SupervisionEngine(Plan, EscalationPolicy.Default, StatusRules.DefaultLagTolerance);
        var book = new SupervisionBook();
        var facts = new Dictionary<AssignmentKey, ProgressFact> { [District] = new(4, 1, At(1, 10), At(1, 10)) };

        var first = engine.AdvanceTo(book, facts, At(2, 1, 9));
        var opened = first.Events.OfType<CaseChanged>().Where(c => c.Case.Kind == CaseKind.Overdue).ToList();
        var overdue = Assert.Single(opened);
        Assert.Equal(("1.1", "a"), (overdue.Case.TaskId, overdue.Case.UnitId));
        Assert.Equal(At(2, 1), overdue.Case.OpenedAt); // the first second after 2024-01-31 23:59:59
        Assert.Equal(["d", "L"], overdue.Case.AddressedTo);

        var again = engine.AdvanceTo(book, facts, At(2, 1, 9));
        Assert.False(again.ChangedAnything);
        var later = engine.AdvanceTo(book, facts, At(2, 20));
        Assert.Empty(later.Events.OfType<CaseChanged>());
        Assert.Single(book.Cases, c => c.Kind == CaseKind.Overdue);
    }

    [Fact]
    public void Lagging_four_weekly_checks_in_a_row_opens_a_case_once()
    {
        var engine = new SupervisionEngine(Plan, EscalationPolicy.Default, StatusRules.DefaultLagTolerance);
        var book = new SupervisionBook();
        var facts = new Dictionary<AssignmentKey, ProgressFact>();
        // Nothing done: lagging once 0.1 of the 31-day span has passed (2024-01-04 02:24). Mondays: Jan 1 (not yet
        // lagging), then Jan 8, 15, 22 and 29, the fourth in a row.
        engine.AdvanceTo(book, facts, At(1, 29, 8));
        Assert.DoesNotContain(book.Cases, c => c.Kind == CaseKind.Lagging);
        Assert.Equal(3, book.LaggingStreaks["1.1/a"]);
        var run = engine.AdvanceTo(book, facts, At(1, 29, 9));
        Assert.Equal(2, run.Events.OfType<CaseChanged>().Count(c => c.Case.Kind == CaseKind.Lagging)); // district and street
        Assert.All(engine.Alerts(book), a => Assert.Equal(2, a.Level)); // under an open case
    }

    [Fact]
    public void A_report_that_completes_closes_the_cases_and_is_done_late()
    {
        var engine = new SupervisionEngine(Plan, EscalationPolicy.Default, StatusRules.DefaultLagTolerance);
        var book = new SupervisionBook();
        var facts = new Dictionary<AssignmentKey, ProgressFact>();
        engine.AdvanceTo(book, facts, At(2, 1, 9));
        Assert.All(engine.Alerts(book), a => Assert.Equal(AlertKind.Overdue, a.Kind));

        facts[Street] = new ProgressFact(6, 1, At(2, 5), At(2, 5));
        var run = engine.AdvanceTo(book, facts, At(2, 5), changed: [Street]);
        Assert.Contains(run.Events.OfType<StatusChanged>(), s => s.UnitId == "a" && s.To == AssignmentStatus.Done && s.Late);
        Assert.All(book.Cases.Where(c => c.UnitId == "a"), c => Assert.Equal(CaseState.Closed, c.State));
        Assert.Contains(book.Cases, c => c.UnitId == "district" && c.IsActive);
        Assert.DoesNotContain(engine.Alerts(book), a => a.UnitId == "a");
    }

    [Fact]
    public void A_forecast_after_the_deadline_warns_at_the_weekly_check_before_the_assignment_lags()
    {
        var engine = new SupervisionEngine(Plan, EscalationPolicy.Default, StatusRules.DefaultLagTolerance);
        var book = new SupervisionBook();
        // Street a did 5 of 6 by Jan 10, then nothing. At the Monday check of Jan 29 09:00 the linear schedule expects
        // 6 × 28.375 / 31 ≈ 5.49, within the 0.6 tolerance of 5: on track. Its window (from Jan 1 09:00) began before
        // its first report, so the overall pace: 5 in 28.375 days, 1 to go → 5.675 days, Feb 3, after the deadline.
        var facts = new Dictionary<AssignmentKey, ProgressFact> { [Street] = new(5, 1, At(1, 10), null) };
        var empty = new Dictionary<AssignmentKey, ProgressFact>();
        engine.AdvanceTo(book, facts, At(1, 29, 9), factsAt: instant => instant < At(1, 10) ? empty : facts);

        Assert.Equal(AssignmentStatus.OnTrack, book.Statuses["1.1/a/main"]);
        var warning = Assert.Single(engine.Alerts(book), a => a.Kind == AlertKind.ForecastLate);
        Assert.Equal(("a", 1, At(1, 29, 9), AssignmentStatus.OnTrack), (warning.UnitId, warning.Level, warning.Since, warning.Status));
        Assert.DoesNotContain(engine.Alerts(book), a => a.UnitId == "a" && a.Kind == AlertKind.Lagging);
        // The district level never reported: no forecast, so no forecastLate (it lags, which its own alert says).
        Assert.DoesNotContain(engine.Alerts(book), a => a.UnitId == "district" && a.Kind == AlertKind.ForecastLate);
        Assert.Contains(engine.Alerts(book), a => a.UnitId == "district" && a.Kind == AlertKind.Lagging);

        // Done on Jan 30: the warning goes at once.
        var done = new Dictionary<AssignmentKey, ProgressFact> { [Street] = new(6, 2, At(1, 30, 10), At(1, 30, 10)) };
        engine.AdvanceTo(book, done, At(1, 30, 10), [Street]);
        Assert.DoesNotContain(engine.Alerts(book), a => a.Kind == AlertKind.ForecastLate);
    }

    [Fact]
    public void Done_assignments_raise_no_forecast_warning()
    {
        var engine = new SupervisionEngine(Plan, EscalationPolicy.Default, StatusRules.DefaultLagTolerance);
        var book = new SupervisionBook();
        // Both done before the Monday check of Jan 29: their forecasts are their done dates, never at risk.
        var facts = new Dictionary<AssignmentKey, ProgressFact> { [Street] = new(6, 3, At(1, 26), At(1, 26)), [District] = new(4, 1, At(1, 20), At(1, 20)) };
        engine.AdvanceTo(book, facts, At(1, 29, 9), factsAt: _ => facts);
        Assert.DoesNotContain(engine.Alerts(book), a => a.Kind == AlertKind.ForecastLate);
    }
}
