using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using static Minsheng.Domain.Tests.Notifications.GongshuScenario;

namespace Minsheng.Domain.Tests.Notifications;

/// <summary>
/// The daily digest (每日提醒) on gongshu-2024: its checkpoints, and what <see cref="SupervisionEngine.AdvanceTo"/> puts in
/// each unit's digest for the facts of <see cref="GongshuScenario"/>.
/// </summary>
public sealed class DigestNoticesTests
{
    private static readonly EscalationPolicy AtEight = EscalationPolicy.Default with { DigestTime = new TimeOnly(8, 0) };
    private static readonly PlanTimeline Timeline = PlanTimeline.Of(Gongshu.Plan);

    private static SupervisionEngine Engine(EscalationPolicy policy) => new(Gongshu, policy, StatusRules.DefaultLagTolerance);

    [Fact]
    public void The_calendar_holds_one_digest_a_day_at_its_hour()
    {
        // 2024-06-03 is a Monday: daily 00:00, digest 08:00, weekly 09:00.
        var list = SupervisionCalendar.Between(Timeline, AtEight, At(6, 2, 12), At(6, 5, 12));
        Assert.Equal(
            [
                (At(6, 3), CheckpointKind.Daily), (At(6, 3, 8), CheckpointKind.Digest), (At(6, 3, 9), CheckpointKind.Weekly),
                (At(6, 4), CheckpointKind.Daily), (At(6, 4, 8), CheckpointKind.Digest),
                (At(6, 5), CheckpointKind.Daily), (At(6, 5, 8), CheckpointKind.Digest),
            ],
            list.Select(c => (c.At, c.Kind)));

        // The whole year: 2024-02-28 to 2024-12-31 is 2 + 306 days, one digest each, each at 08:00.
        var year = SupervisionCalendar.Between(Timeline, AtEight, At(1, 1), new DateTimeOffset(2025, 6, 1, 0, 0, 0, Cst));
        var digests = year.Where(c => c.Kind == CheckpointKind.Digest).ToList();
        Assert.Equal(308, digests.Count);
        Assert.All(digests, d => Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromTimeSpan(d.At.TimeOfDay)));
        Assert.Equal(digests.Count, digests.Select(d => Timeline.DateOf(d.At)).Distinct().Count());
        Assert.Equal((At(2, 28, 8), At(12, 31, 8)), (digests[0].At, digests[^1].At));
        Assert.Equal(At(6, 4, 8), SupervisionCalendar.NextAfter(Timeline, AtEight, At(6, 4)));
    }

    [Fact]
    public void A_digest_at_the_same_instant_as_another_check_comes_after_it()
    {
        // At midnight: after the daily check.
        var midnight = SupervisionCalendar.Between(Timeline, EscalationPolicy.Default with { DigestTime = TimeOnly.MinValue }, At(6, 3, 12), At(6, 4, 12));
        Assert.Equal([(At(6, 4), CheckpointKind.Daily), (At(6, 4), CheckpointKind.Digest)], midnight.Select(c => (c.At, c.Kind)));

        // At nine on a Monday: after the weekly check; at nine on 2024-10-31 (30 days before the deadline): after the reminder.
        var nine = EscalationPolicy.Default with { DigestTime = new TimeOnly(9, 0) };
        Assert.Equal(
            [(At(6, 3), CheckpointKind.Daily), (At(6, 3, 9), CheckpointKind.Weekly), (At(6, 3, 9), CheckpointKind.Digest)],
            SupervisionCalendar.Between(Timeline, nine, At(6, 2, 12), At(6, 3, 12)).Select(c => (c.At, c.Kind)));
        Assert.Equal(
            [(At(10, 31), CheckpointKind.Daily), (At(10, 31, 9), CheckpointKind.DeadlineNear), (At(10, 31, 9), CheckpointKind.Digest)],
            SupervisionCalendar.Between(Timeline, nine, At(10, 30, 12), At(10, 31, 12)).Select(c => (c.At, c.Kind)));
    }

    [Fact]
    public void Without_a_digest_time_the_calendar_is_as_before()
    {
        Assert.Null(EscalationPolicy.Default.DigestTime);
        var from = At(1, 1);
        var to = new DateTimeOffset(2025, 6, 1, 0, 0, 0, Cst);
        var plain = SupervisionCalendar.Between(Timeline, EscalationPolicy.Default, from, to);
        Assert.DoesNotContain(plain, c => c.Kind == CheckpointKind.Digest);
        Assert.Equal(SupervisionCalendar.Between(Timeline, AtEight, from, to).Where(c => c.Kind != CheckpointKind.Digest), plain);
        // 308 daily, 44 weekly (Mondays 2024-03-04 to 2024-12-30), 2 reminders and the deadline.
        Assert.Equal(308 + 44 + 2 + 1, plain.Count);

        var run = Engine(EscalationPolicy.Default).AdvanceTo(new SupervisionBook(), Facts(), At(6, 4, 12), factsAt: FactsAt());
        Assert.Empty(run.Events.OfType<DigestReady>());
    }

    [Fact]
    public void Each_day_has_one_digest_per_street_and_department()
    {
        var engine = Engine(AtEight);
        var book = new SupervisionBook();
        var facts = Facts();

        var first = engine.AdvanceTo(book, facts, At(5, 31, 12), factsAt: FactsAt());
        // A catch-up from 2024-02-28 makes only the digest that is still news (within a day): 05-31's, not 94.
        Assert.Equal([At(5, 31, 8)], first.Events.OfType<DigestReady>().Select(d => d.At));
        Assert.Empty(book.Cases); // the back-loaded schedule keeps everything on track: no lagging case

        var digests = new List<DigestReady>();
        for (var day = 1; day <= 4; day++)
            digests.AddRange(engine.AdvanceTo(book, facts, At(6, day, 12), factsAt: FactsAt()).Events.OfType<DigestReady>());
        Assert.Equal([At(6, 1, 8), At(6, 2, 8), At(6, 3, 8), At(6, 4, 8)], digests.Select(d => d.At));
        // 2024-06-01 is 29 + 31 + 31 + 30 + 31 + 30 = 182 days before 2024-11-30.
        Assert.Equal([182, 181, 180, 179], digests.Select(d => d.Digests.Select(u => u.DaysToDeadline).Distinct().Single()));
        Assert.Equal(
            [new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 2), new DateOnly(2024, 6, 3), new DateOnly(2024, 6, 4)],
            digests.Select(d => d.Digests.Select(u => u.Date).Distinct().Single()));
        string[] units =
        [
            "tianshui", "shangtang", "wulin", "xiangfu", "changqing", "banshan", "chaoming", "kangqiao", "zhaohui", "mishixiang",
            "wenhui", "hushu", "dongxin", "xiaohe", "shiqiao", "gongchenqiao", "hemu", "daguan",
            "civil-affairs", "education", "health", "culture-tourism-sports", "disabled-persons-federation", "housing-construction",
            "urban-management", "ecology-environment",
        ];
        Assert.All(digests, d => Assert.Equal(units, d.Digests.Select(u => u.UnitId)));

        // The same instant again, or later the same day: no second digest.
        var again = engine.AdvanceTo(book, facts, At(6, 4, 12), factsAt: FactsAt());
        Assert.False(again.ChangedAnything);
        Assert.Empty(engine.AdvanceTo(book, facts, At(6, 4, 23), factsAt: FactsAt()).Events.OfType<DigestReady>());
        Assert.Single(engine.AdvanceTo(book, facts, At(6, 5, 8), factsAt: FactsAt()).Events.OfType<DigestReady>());
    }

    [Fact]
    public void A_digest_lists_what_is_due_at_risk_and_under_a_case()
    {
        var engine = Engine(AtEight);
        var book = new SupervisionBook();
        var facts = Facts();
        var first = engine.AdvanceTo(book, facts, At(5, 31, 12), factsAt: FactsAt());
        // The first weekly check whose 28-day window starts after the reports (2024-04-01 09:00, window from 03-04 09:00)
        // finds no progress in it for the three partly reported metrics: never at that pace, so at risk. Earlier checks
        // had too little history (03-04, 03-11) or the overall pace, which finishes in time (03-18, 03-25).
        var raised = first.Events.OfType<ForecastChanged>().Where(f => f.AtRisk).ToList();
        Assert.Equal(
            [("3.1", "shangtang", At(4, 1, 9)), ("8.1", "shangtang", At(4, 1, 9)), ("8.2", "district", At(4, 1, 9))],
            raised.Select(f => (f.TaskId, f.UnitId, f.At)).Order());
        var opened = engine.OpenManual(book, Gongshu.Task("8.1"), "shangtang", "回迁安置进度需专项督办", At(5, 31, 12));

        var run = engine.AdvanceTo(book, facts, At(6, 4, 12), factsAt: FactsAt());
        var june1 = run.Events.OfType<DigestReady>().First().Digests.ToDictionary(d => d.UnitId);

        var shangtang = june1["shangtang"];
        Assert.Equal(["1.2", "2.2", "3.1", "4.1", "4.2", "6.1", "6.2", "8.1", "9.1", "10.1", "10.2"], shangtang.Due.Select(i => i.TaskId));
        Assert.All(shangtang.Due, i => Assert.Equal(("shangtang", AssignmentStatus.OnTrack), (i.UnitId, i.Status)));
        var relocation = shangtang.Due.Single(i => i.TaskId == "8.1");
        Assert.Equal((500L, 1135L), (relocation.Completed, relocation.Target));
        Assert.Equal([("3.1", 4L, 14L), ("8.1", 500L, 1135L)], shangtang.AtRisk.Select(i => (i.TaskId, i.Completed, i.Target)));
        Assert.Empty(shangtang.Overdue);
        Assert.Equal([opened.Id], shangtang.OpenCases.Select(c => c.Id));

        var kangqiao = june1["kangqiao"]; // all six done
        Assert.Empty(kangqiao.Due);
        Assert.Empty(kangqiao.AtRisk);
        Assert.Empty(kangqiao.Overdue);
        Assert.Empty(kangqiao.OpenCases);

        Assert.Equal(["3.1", "4.2", "6.1", "6.2", "9.1", "10.1", "10.2"], june1["wulin"].Due.Select(i => i.TaskId));
        Assert.Empty(june1["wulin"].OpenCases);
        // Streets: 185 − 5 district − 1 (上塘 1.1) − 6 (康桥) = 173 not done.
        Assert.Equal(173, june1.Values.Where(d => Gongshu.IsStreet(d.UnitId)).Sum(d => d.Due.Count));

        // Departments: every assignment of the tasks they lead, not done. 区住建局 leads 8.1 (4), 8.2 (1), 9.1 (17) and
        // 10.1 (10), none done; the case on 上塘 8.1 is addressed to it (and to 许雷挺).
        var housing = june1["housing-construction"];
        Assert.Equal(32, housing.Due.Count);
        Assert.Equal(["8.1", "8.2", "9.1", "10.1"], housing.Due.Select(i => i.TaskId).Distinct());
        Assert.Contains(housing.Due, i => (i.TaskId, i.UnitId, i.Completed, i.Target) == ("8.2", "district", 3, 16));
        Assert.Equal([("8.1", "shangtang"), ("8.2", "district")], housing.AtRisk.Select(i => (i.TaskId, i.UnitId)));
        Assert.Equal([opened.Id], housing.OpenCases.Select(c => c.Id));
        Assert.Equal(["housing-construction", "xu-leiting"], opened.AddressedTo);

        // 区卫健局: 1.3 (4) + 3.1 (18) + 5.1 (3) + 5.2 (4 streets × 2 metrics) = 33, less 康桥 3.1.
        Assert.Equal(32, june1["health"].Due.Count);
        Assert.Equal([("3.1", "shangtang")], june1["health"].AtRisk.Select(i => (i.TaskId, i.UnitId)));
        Assert.Empty(june1["health"].OpenCases);
        // 区民政局 1.1 (6) + 2.1 (6) + 4.1 (8) + 4.2 (18) = 38, less 上塘 1.1, 康桥 4.1 and 4.2; 区残联 6.1 + 6.2 (18 each) +
        // 6.3 (3) = 39, less 康桥 6.1 and 6.2; 生态环境 10.2 (18) less 康桥; 区教育局 1.2 (5 + district) 3.2 7.1 7.2.
        Assert.Equal(
            [("civil-affairs", 35), ("education", 8), ("health", 32), ("culture-tourism-sports", 9), ("disabled-persons-federation", 37),
                ("housing-construction", 32), ("urban-management", 8), ("ecology-environment", 17)],
            june1.Values.Where(d => Gongshu.IsDepartment(d.UnitId)).Select(d => (d.UnitId, d.Due.Count)));
        Assert.All(june1.Values, d => Assert.Empty(d.Overdue));

        // The case's street lists it every day after it opened.
        Assert.All(run.Events.OfType<DigestReady>(), d => Assert.Equal([opened.Id], d.Digests.Single(u => u.UnitId == "shangtang").OpenCases.Select(c => c.Id)));
    }

    [Fact]
    public void After_the_deadline_the_digest_lists_overdue_items_and_their_cases()
    {
        var engine = Engine(AtEight);
        var book = new SupervisionBook();
        var facts = Facts();
        engine.AdvanceTo(book, facts, At(11, 30, 12), factsAt: FactsAt());
        var digests = engine.AdvanceTo(book, facts, At(12, 1, 12), factsAt: FactsAt()).Events.OfType<DigestReady>()
            .Concat(engine.AdvanceTo(book, facts, At(12, 2, 12), factsAt: FactsAt()).Events.OfType<DigestReady>()).ToList();
        Assert.Equal([At(12, 1, 8), At(12, 2, 8)], digests.Select(d => d.At));
        Assert.Equal([-1, -2], digests.Select(d => d.Digests[0].DaysToDeadline));

        var december1 = digests[0].Digests.ToDictionary(d => d.UnitId);
        var shangtang = december1["shangtang"];
        Assert.Empty(shangtang.Due);
        Assert.Equal(11, shangtang.Overdue.Count);
        Assert.All(shangtang.Overdue, i => Assert.Equal(AssignmentStatus.Overdue, i.Status));
        Assert.Empty(shangtang.AtRisk); // the overdue alert takes over from the forecast's
        // One overdue case per (task, street) not done, all opened at the deadline check (2024-12-01 00:00).
        Assert.Equal(
            new[] { "1.2", "2.2", "3.1", "4.1", "4.2", "6.1", "6.2", "8.1", "9.1", "10.1", "10.2" }.Order(StringComparer.Ordinal),
            shangtang.OpenCases.Select(c => c.TaskId).Order(StringComparer.Ordinal));
        Assert.All(shangtang.OpenCases, c => Assert.Equal((CaseKind.Overdue, At(12, 1)), (c.Kind, c.OpenedAt)));
        // 长庆 (changqing): 12 metrics, 5.2 has two, so 12 overdue items and 11 cases.
        Assert.Equal((12, 11), (december1["changqing"].Overdue.Count, december1["changqing"].OpenCases.Count));
        // 区住建局: 32 assignments, one per (task, unit), all overdue, each with a case addressed to it.
        Assert.Equal((32, 32), (december1["housing-construction"].Overdue.Count, december1["housing-construction"].OpenCases.Count));
        // 区卫健局: 32 overdue metrics in 4 + 17 + 3 + 4 = 28 (task, unit) groups.
        Assert.Equal((32, 28), (december1["health"].Overdue.Count, december1["health"].OpenCases.Count));
        Assert.Empty(december1["kangqiao"].Overdue);
    }
}
