using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using static Minsheng.Domain.Tests.Notifications.GongshuScenario;

namespace Minsheng.Domain.Tests.Notifications;

/// <summary>
/// What supervision tells as notifications on gongshu-2024: the 临近提醒 checkpoints (30 and 7 days before the deadline of
/// 2024-11-30, at 09:00: 2024-10-31 and 2024-11-23) and cases waiting for a response.
/// </summary>
public sealed class SupervisionNoticesTests
{
    private static SupervisionEngine Engine(EscalationPolicy? policy = null) => new(Gongshu, policy ?? EscalationPolicy.Default, StatusRules.DefaultLagTolerance);

    [Fact]
    public void Each_reminder_tells_every_assignment_not_done_once()
    {
        var engine = Engine();
        var book = new SupervisionBook();
        var facts = Facts();

        var before = engine.AdvanceTo(book, facts, At(10, 31, 8, 59, 59));
        Assert.Empty(before.Events.OfType<DeadlineNearReached>());
        var thirty = engine.AdvanceTo(book, facts, At(10, 31, 9)).Events.OfType<DeadlineNearReached>().ToList();
        // 185 metrics less 上塘 1.1 and 康桥's six, done.
        Assert.Equal(178, thirty.Count);
        Assert.All(thirty, d => Assert.Equal((30, At(10, 31, 9)), (d.DaysBefore, d.At)));
        Assert.Equal(178, thirty.Select(d => new AssignmentKey(d.TaskId, d.UnitId, d.MetricId)).Distinct().Count());
        Assert.DoesNotContain(thirty, d => d.UnitId == "kangqiao" || (d.TaskId, d.UnitId) == ("1.1", "shangtang"));
        var relocation = Assert.Single(thirty, d => (d.TaskId, d.UnitId) == ("8.1", "shangtang"));
        Assert.Equal((500L, 1135L), (relocation.Completed, relocation.Target));
        var screening = Assert.Single(thirty, d => (d.TaskId, d.UnitId, d.MetricId) == ("5.2", "chaoming", "screening"));
        Assert.Equal((0L, 6425L), (screening.Completed, screening.Target));
        Assert.Contains(thirty, d => (d.TaskId, d.UnitId, d.MetricId) == ("5.2", "chaoming", "guidance") && d.Target == 400);
        Assert.Equal(11, thirty.Count(d => d.UnitId == "shangtang"));

        // 武林 finishes 3.1 (8 classes) on 2024-11-05: the 7-day reminder leaves it out.
        Done(facts, Key("3.1", "wulin"), At(11, 5, 10));
        var between = engine.AdvanceTo(book, facts, At(11, 23, 8, 59, 59));
        Assert.Empty(between.Events.OfType<DeadlineNearReached>());
        var seven = engine.AdvanceTo(book, facts, At(11, 23, 9)).Events.OfType<DeadlineNearReached>().ToList();
        Assert.Equal(177, seven.Count);
        Assert.All(seven, d => Assert.Equal((7, At(11, 23, 9)), (d.DaysBefore, d.At)));
        Assert.DoesNotContain(seven, d => (d.TaskId, d.UnitId) == ("3.1", "wulin"));

        // Told once: running to the same instant again, or on to the deadline, tells nothing more.
        Assert.Empty(engine.AdvanceTo(book, facts, At(11, 23, 9)).Events.OfType<DeadlineNearReached>());
        Assert.Empty(engine.AdvanceTo(book, facts, At(12, 10)).Events.OfType<DeadlineNearReached>());
    }

    [Fact]
    public void One_big_step_tells_both_reminders()
    {
        var all = Engine().AdvanceTo(new SupervisionBook(), Facts(), At(12, 31, 23)).Events.OfType<DeadlineNearReached>().ToList();
        Assert.Equal([(30, 178), (7, 178)], all.GroupBy(d => d.DaysBefore).Select(g => (g.Key, g.Count())));
    }

    [Fact]
    public void A_manual_case_without_a_response_is_told_once_three_days_on()
    {
        var engine = Engine();
        var book = new SupervisionBook();
        var facts = Facts();
        engine.AdvanceTo(book, facts, At(6, 3, 10));
        var waiting = engine.OpenManual(book, Gongshu.Task("8.1"), "shangtang", "回迁安置进度需专项督办", At(6, 3, 10));
        Assert.Equal("C0001", waiting.Id);

        // 2024-06-06 00:00 is not yet three days after 06-03 10:00; 06-07 00:00 is the first daily check after.
        Assert.Empty(engine.AdvanceTo(book, facts, At(6, 6, 23)).Events.OfType<CaseResponseOverdue>());
        Assert.Null(book.ResponseOverdueTold);
        var told = Assert.Single(engine.AdvanceTo(book, facts, At(6, 7)).Events.OfType<CaseResponseOverdue>());
        Assert.Equal(("C0001", 3, At(6, 7)), (told.Case.Id, told.Days, told.At));
        Assert.Equal(["C0001"], book.ResponseOverdueTold!.Order(StringComparer.Ordinal));

        Assert.Empty(engine.AdvanceTo(book, facts, At(6, 7)).Events.OfType<CaseResponseOverdue>());
        Assert.Empty(engine.AdvanceTo(book, facts, At(7, 31)).Events.OfType<CaseResponseOverdue>());
        Assert.Equal(["C0001"], book.ResponseOverdueTold!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_case_answered_or_closed_in_time_is_never_told()
    {
        var engine = Engine();
        var book = new SupervisionBook();
        var facts = Facts();
        engine.AdvanceTo(book, facts, At(6, 3, 10));
        var silent = engine.OpenManual(book, Gongshu.Task("8.1"), "shangtang", "回迁安置进度需专项督办", At(6, 3, 10));
        var answered = engine.OpenManual(book, Gongshu.Task("3.1"), "wulin", "养育照护课堂进度需专项督办", At(6, 3, 10));
        var closed = engine.OpenManual(book, Gongshu.Task("9.1"), "wulin", "加装电梯进度需专项督办", At(6, 3, 10));
        Assert.Equal(["C0001", "C0002", "C0003"], new[] { silent.Id, answered.Id, closed.Id });

        engine.AdvanceTo(book, facts, At(6, 5, 12));
        SupervisionEngine.Respond(book, answered, new CaseResponse("已约谈街道，6月底前完成", new DateOnly(2024, 6, 30), "health", At(6, 5, 12)));
        SupervisionEngine.CloseByOffice(book, closed, "已纳入专项整治", At(6, 5, 12));

        var run = engine.AdvanceTo(book, facts, At(8, 31));
        var told = Assert.Single(run.Events.OfType<CaseResponseOverdue>());
        Assert.Equal(("C0001", At(6, 7)), (told.Case.Id, told.At));
        Assert.Equal(["C0001"], book.ResponseOverdueTold!.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1, 24)]
    [InlineData(3, 26)]
    [InlineData(5, 28)]
    public void A_lagging_case_is_told_at_the_first_daily_check_the_configured_days_after_it_opened(int days, int toldOnApril)
    {
        // Everything done at 2024-02-28 10:00 but 上塘 9.1 (2 elevators), on the plan's linear schedule with nothing done:
        // lagging once 10% of the 277-day span has passed (2024-03-26 16:48), so at the Monday checks of April 1, 8, 15
        // and 22; the fourth opens the one case, C0001, at 2024-04-22 09:00.
        var facts = Gongshu.AllAssignments.ToDictionary(a => a.Key, a => new ProgressFact(a.Assignment.Target, 1, Reported, Reported));
        facts[Key("9.1", "shangtang")] = ProgressFact.Initial;
        var engine = Engine(EscalationPolicy.Default with { CaseResponseDays = days });
        var book = new SupervisionBook();

        var opening = engine.AdvanceTo(book, facts, At(4, 22, 9));
        var opened = Assert.Single(opening.Events.OfType<CaseChanged>());
        Assert.Equal(("C0001", CaseKind.Lagging, "9.1", "shangtang", At(4, 22, 9)), (opened.Case.Id, opened.Case.Kind, opened.Case.TaskId, opened.Case.UnitId, opened.Case.OpenedAt));
        Assert.Empty(opening.Events.OfType<CaseResponseOverdue>());

        // The first daily check at or after 04-22 09:00 + days.
        Assert.Empty(engine.AdvanceTo(book, facts, At(4, toldOnApril - 1, 23, 59, 59)).Events.OfType<CaseResponseOverdue>());
        var told = Assert.Single(engine.AdvanceTo(book, facts, At(4, toldOnApril)).Events.OfType<CaseResponseOverdue>());
        Assert.Equal(("C0001", days, At(4, toldOnApril)), (told.Case.Id, told.Days, told.At));
        Assert.Empty(engine.AdvanceTo(book, facts, At(6, 30)).Events.OfType<CaseResponseOverdue>());
    }

    [Fact]
    public void Stepping_in_small_steps_tells_at_the_same_check()
    {
        var facts = Facts();
        var stepped = Engine();
        var book = new SupervisionBook();
        stepped.AdvanceTo(book, facts, At(6, 3, 10));
        stepped.OpenManual(book, Gongshu.Task("8.1"), "shangtang", "回迁安置进度需专项督办", At(6, 3, 10));
        var told = new List<CaseResponseOverdue>();
        for (var t = At(6, 3, 17); t <= At(6, 20); t = t.AddHours(13)) told.AddRange(stepped.AdvanceTo(book, facts, t).Events.OfType<CaseResponseOverdue>());
        Assert.Equal([("C0001", At(6, 7))], told.Select(r => (r.Case.Id, r.At)));
    }

    [Fact]
    public void Cases_opened_at_the_deadline_are_told_exactly_three_days_later()
    {
        // The deadline check (2024-12-01 00:00:00, the second after 11-30 23:59:59) opens an overdue case per (task, unit)
        // not done: 178 metrics, 5.2's two metrics in 4 streets making one group each, so 174 cases. Three days on is
        // 12-04 00:00, itself a daily check.
        var engine = Engine();
        var book = new SupervisionBook();
        var facts = Facts();
        var opened = engine.AdvanceTo(book, facts, At(12, 3, 23, 59, 59)).Events;
        Assert.Equal(174, opened.OfType<CaseChanged>().Count(c => c.Action == CaseAction.Opened && c.At == At(12, 1)));
        Assert.Empty(opened.OfType<CaseResponseOverdue>());
        var told = engine.AdvanceTo(book, facts, At(12, 4)).Events.OfType<CaseResponseOverdue>().ToList();
        Assert.Equal(174, told.Count);
        Assert.All(told, r => Assert.Equal((At(12, 4), At(12, 1), 3), (r.At, r.Case.OpenedAt, r.Days)));
        Assert.Equal(174, book.ResponseOverdueTold!.Count);
    }
}
