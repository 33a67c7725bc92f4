using System.Text.Json;
using Minsheng.Domain.Notifications;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;
using static Minsheng.Domain.Tests.Notifications.GongshuScenario;

namespace Minsheng.Domain.Tests.Notifications;

/// <summary>The notices <see cref="NoticeBuilder"/> makes of gongshu-2024's supervision and reviews (facts: <see cref="GongshuScenario"/>).</summary>
public sealed class BuiltNoticesTests
{
    private static readonly NoticeBuilder Builder = new(Gongshu);

    private static SupervisionEngine Engine(EscalationPolicy? policy = null) => new(Gongshu, policy ?? EscalationPolicy.Default, StatusRules.DefaultLagTolerance);

    private static IReadOnlyList<SupervisionEvent> ThirtyDaysBefore()
    {
        var engine = Engine();
        var book = new SupervisionBook();
        engine.AdvanceTo(book, Facts(), At(10, 31, 8));
        return engine.AdvanceTo(book, Facts(), At(10, 31, 9)).Events;
    }

    private static string[] Sorted(IEnumerable<string> units) => [.. units.Order(StringComparer.Ordinal)];

    private static int ItemLines(string markdown) => markdown.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal));

    [Fact]
    public void A_reminder_makes_one_notice_per_owner_listing_all_its_items()
    {
        var notices = Builder.FromSupervision(ThirtyDaysBefore());
        // 17 streets with something not done (康桥 is all done), and the 区本级 owners: 区教育局 (1.2, 3.2, 7.1, 7.2) and
        // 区住建局 (8.2).
        Assert.Equal(19, notices.Count);
        Assert.All(notices, n => Assert.Equal((NoticeKind.DeadlineNear, At(10, 31, 9), "gongshu-2024"), (n.Kind, n.At, n.PlanId)));
        Assert.Equal(notices.Count, notices.Select(n => n.Id).Distinct().Count());
        Assert.DoesNotContain(notices, n => n.Id.Contains("kangqiao", StringComparison.Ordinal));

        var shangtang = Assert.Single(notices, n => n.Id == "deadlineNear:shangtang:2024-10-31:30");
        Assert.Equal("临近截止提醒：上塘街道 距截止还有 30 天，11 项未完成", shangtang.Title);
        // 上塘 and the lead departments of its 11 open tasks: 1.2 教育, 2.2 文广旅体, 3.1 卫健, 4.1/4.2 民政, 6.1/6.2 残联,
        // 8.1/9.1/10.1 住建, 10.2 生态环境 (not 综合执法, which leads only 9.2).
        Assert.Equal(
            Sorted(["shangtang", "education", "culture-tourism-sports", "health", "civil-affairs", "disabled-persons-federation", "housing-construction", "ecology-environment"]),
            Sorted(shangtang.Units));
        Assert.Equal("shangtang", shangtang.Units[0]);
        Assert.Contains("上塘街道 以下 11 项尚未完成", shangtang.Markdown, StringComparison.Ordinal);
        Assert.Contains("- 8.1 完成3426户回迁安置 · 上塘街道：500/1135\n", shangtang.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("1.1 ", shangtang.Markdown, StringComparison.Ordinal);
        Assert.Equal(11, ItemLines(shangtang.Markdown));
        Assert.DoesNotContain("……", shangtang.Markdown, StringComparison.Ordinal);
        Assert.Equal(("shangtang", 30, 11), (shangtang.Data.GetProperty("unitId").GetString(), shangtang.Data.GetProperty("daysBefore").GetInt32(),
            shangtang.Data.GetProperty("items").GetArrayLength()));
        var item = shangtang.Data.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("taskId").GetString() == "8.1");
        Assert.Equal(("shangtang", "main", 500L, 1135L), (item.GetProperty("unitId").GetString(), item.GetProperty("metricId").GetString(),
            item.GetProperty("completed").GetInt64(), item.GetProperty("target").GetInt64()));

        var education = Assert.Single(notices, n => n.Id == "deadlineNear:education:2024-10-31:30");
        Assert.Equal(["education"], education.Units);
        Assert.Equal("临近截止提醒：区教育局 距截止还有 30 天，4 项未完成", education.Title);
        Assert.Contains("区教育局（区本级）", education.Markdown, StringComparison.Ordinal);
        Assert.Equal(["1.2", "3.2", "7.1", "7.2"], education.Data.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("taskId").GetString()));
        Assert.All(education.Data.GetProperty("items").EnumerateArray(), i => Assert.Equal("district", i.GetProperty("unitId").GetString()));

        var housing = Assert.Single(notices, n => n.Id == "deadlineNear:housing-construction:2024-10-31:30");
        Assert.Equal(["housing-construction"], housing.Units);
        Assert.Contains("- 8.2 竣工交付16个安置房 · 区住建局（区本级）：3/16\n", housing.Markdown, StringComparison.Ordinal);

        // 长庆's 5.2 has two metrics: both listed, each with its name.
        var changqing = Assert.Single(notices, n => n.Id == "deadlineNear:changqing:2024-10-31:30");
        Assert.Equal(12, ItemLines(changqing.Markdown));
        Assert.Contains("（认知症早期筛查） · 长庆街道：0/4805\n", changqing.Markdown, StringComparison.Ordinal);
        Assert.Contains("（非药物干预指导） · 长庆街道：0/400\n", changqing.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void More_items_than_the_lines_a_message_holds_end_with_how_many()
    {
        var at = At(11, 23, 9);
        DeadlineNearReached Item(int i) => new("4.2", "dongxin", $"m{i:D2}", 7, i, 30, at);
        var fifteen = Assert.Single(Builder.FromSupervision(Enumerable.Range(1, NoticeBuilder.MaxLines).Select(Item)));
        Assert.Equal(15, ItemLines(fifteen.Markdown));
        Assert.DoesNotContain("……", fifteen.Markdown, StringComparison.Ordinal);

        var sixteen = Assert.Single(Builder.FromSupervision(Enumerable.Range(1, 16).Select(Item)));
        Assert.Equal("deadlineNear:dongxin:2024-11-23:7", sixteen.Id);
        Assert.Equal(16, ItemLines(sixteen.Markdown)); // 15 items and the count
        Assert.EndsWith("- ……等共 16 项\n", sixteen.Markdown, StringComparison.Ordinal);
        Assert.Contains("16 项未完成", sixteen.Title, StringComparison.Ordinal);
        Assert.Equal(16, sixteen.Data.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void Forecast_warnings_are_grouped_per_owner_and_weekly_check()
    {
        // The weekly check of 2024-04-01 09:00 puts 上塘 3.1 and 8.1 and 区本级 8.2 at risk (see DigestNoticesTests).
        var events = Engine().AdvanceTo(new SupervisionBook(), Facts(), At(4, 1, 9), factsAt: FactsAt()).Events;
        var notices = Builder.FromSupervision(events);
        Assert.Equal(["forecastLate:housing-construction:2024-04-01", "forecastLate:shangtang:2024-04-01"], notices.Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.All(notices, n => Assert.Equal((NoticeKind.ForecastLate, At(4, 1, 9)), (n.Kind, n.At)));

        var shangtang = notices.Single(n => n.Id == "forecastLate:shangtang:2024-04-01");
        Assert.Equal("预计逾期预警：上塘街道 2 项按当前进度将无法在截止前完成", shangtang.Title);
        Assert.Equal(Sorted(["shangtang", "health", "housing-construction"]), Sorted(shangtang.Units));
        Assert.Contains("- 3.1 举办200场养育照护技能课堂 · 上塘街道：按当前进度无法完成\n", shangtang.Markdown, StringComparison.Ordinal);
        Assert.Contains("8.1 完成3426户回迁安置 · 上塘街道", shangtang.Markdown, StringComparison.Ordinal);
        Assert.Equal(["3.1", "8.1"], shangtang.Data.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("taskId").GetString()));

        var housing = notices.Single(n => n.Id == "forecastLate:housing-construction:2024-04-01");
        Assert.Equal(["housing-construction"], housing.Units);
        Assert.Contains("区住建局（区本级）", housing.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Cases_make_notices_for_their_unit_and_those_they_are_addressed_to()
    {
        var engine = Engine();
        var book = new SupervisionBook();
        engine.AdvanceTo(book, Facts(), At(6, 3, 10));
        var manual = engine.OpenManual(book, Gongshu.Task("8.1"), "shangtang", "回迁安置进度需专项督办", At(6, 3, 10));
        var opened = Builder.CaseOpened(manual);
        Assert.Equal(("caseOpened:C0001", NoticeKind.CaseOpened, At(6, 3, 10)), (opened.Id, opened.Kind, opened.At));
        Assert.Equal(["shangtang", "housing-construction", "xu-leiting"], opened.Units);
        Assert.Equal("个案督办 C0001：上塘街道 · 8.1 完成3426户回迁安置", opened.Title);
        Assert.Contains("- 交办：区住建局、许雷挺\n", opened.Markdown, StringComparison.Ordinal);
        Assert.Contains("- 立案时间：2024-06-03 10:00\n", opened.Markdown, StringComparison.Ordinal);
        Assert.Equal(("C0001", "8.1", "shangtang", "manual"), (opened.Data.GetProperty("caseId").GetString(), opened.Data.GetProperty("taskId").GetString(),
            opened.Data.GetProperty("unitId").GetString(), opened.Data.GetProperty("kind").GetString()));

        // Three days without a response: told once, to the same units.
        var later = Builder.FromSupervision(engine.AdvanceTo(book, Facts(), At(6, 7)).Events);
        var overdue = Assert.Single(later);
        Assert.Equal(("caseResponseOverdue:C0001", NoticeKind.CaseResponseOverdue, At(6, 7)), (overdue.Id, overdue.Kind, overdue.At));
        Assert.Equal(["shangtang", "housing-construction", "xu-leiting"], overdue.Units);
        Assert.Equal("督办件 C0001 已 3 天未反馈：上塘街道 · 8.1", overdue.Title);

        // The deadline's cases: one notice each, the district's naming the lead department.
        var deadline = Builder.FromSupervision(engine.AdvanceTo(book, Facts(), At(12, 1)).Events);
        var cases = deadline.Where(n => n.Kind == NoticeKind.CaseOpened).ToList();
        // 178 metrics not done in 178 − 4 (5.2's second metric in 4 streets) = 174 (task, unit) groups, less the one with
        // the manual case (上塘 8.1: an overdue case still opens for it).
        Assert.Equal(174, cases.Count);
        Assert.Equal(174, book.Cases.Count(c => c.Kind == CaseKind.Overdue));
        var district = Assert.Single(cases, n => n.Data.GetProperty("taskId").GetString() == "8.2");
        Assert.Equal(["district", "housing-construction", "xu-leiting"], district.Units);
        Assert.StartsWith("个案督办 C", district.Title, StringComparison.Ordinal);
        Assert.Contains("区住建局（区本级） · 8.2", district.Title, StringComparison.Ordinal);
        Assert.Contains("截止时间已过仍未完成", district.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_digest_is_one_notice_per_unit_and_day()
    {
        var engine = Engine(EscalationPolicy.Default with { DigestTime = new TimeOnly(8, 0) });
        var book = new SupervisionBook();
        engine.AdvanceTo(book, Facts(), At(5, 31, 12), factsAt: FactsAt());
        engine.OpenManual(book, Gongshu.Task("8.1"), "shangtang", "回迁安置进度需专项督办", At(5, 31, 12));
        var notices = Builder.FromSupervision(engine.AdvanceTo(book, Facts(), At(6, 1, 12), factsAt: FactsAt()).Events);

        Assert.Equal(26, notices.Count);
        Assert.All(notices, n => Assert.Equal((NoticeKind.Digest, At(6, 1, 8)), (n.Kind, n.At)));
        Assert.All(notices, n => Assert.Equal($"digest:{Assert.Single(n.Units)}:2024-06-01", n.Id));

        var shangtang = notices.Single(n => n.Id == "digest:shangtang:2024-06-01");
        Assert.Equal("每日提醒 2024-06-01：上塘街道 未完成 11 项，预计逾期 2 项，逾期 0 项，督办 1 件", shangtang.Title);
        Assert.Contains("距截止还有 182 天。", shangtang.Markdown, StringComparison.Ordinal);
        Assert.Contains("**预计逾期（2）**", shangtang.Markdown, StringComparison.Ordinal);
        Assert.Contains("**未完成（11）**", shangtang.Markdown, StringComparison.Ordinal);
        Assert.Contains("- C0001 8.1 上塘街道：回迁安置进度需专项督办\n", shangtang.Markdown, StringComparison.Ordinal);
        Assert.Equal(("shangtang", "2024-06-01", 182, 11, 2, 0), (shangtang.Data.GetProperty("unitId").GetString(), shangtang.Data.GetProperty("date").GetString(),
            shangtang.Data.GetProperty("daysToDeadline").GetInt32(), shangtang.Data.GetProperty("due").GetArrayLength(),
            shangtang.Data.GetProperty("atRisk").GetArrayLength(), shangtang.Data.GetProperty("overdue").GetArrayLength()));
        Assert.Equal("C0001", shangtang.Data.GetProperty("openCases")[0].GetProperty("caseId").GetString());

        var kangqiao = notices.Single(n => n.Id == "digest:kangqiao:2024-06-01");
        Assert.Equal("每日提醒 2024-06-01：康桥街道 未完成 0 项，预计逾期 0 项，逾期 0 项，督办 0 件", kangqiao.Title);
        Assert.Contains("全部任务已完成，无待办事项。", kangqiao.Markdown, StringComparison.Ordinal);

        // 区残联: 37 due, more than a message lists.
        var disabled = notices.Single(n => n.Id == "digest:disabled-persons-federation:2024-06-01");
        Assert.StartsWith("每日提醒 2024-06-01：区残联 未完成 37 项", disabled.Title, StringComparison.Ordinal);
        Assert.Equal(16, ItemLines(disabled.Markdown));
        Assert.Contains("- ……等共 37 项\n", disabled.Markdown, StringComparison.Ordinal);
        Assert.Equal(37, disabled.Data.GetProperty("due").GetArrayLength());
    }

    [Fact]
    public void Ids_are_stable()
    {
        var events = ThirtyDaysBefore();
        var once = Builder.FromSupervision(events);
        var again = new NoticeBuilder(Gongshu).FromSupervision(events);
        Assert.Equal(once.Select(n => (n.Id, n.Title, n.Markdown)), again.Select(n => (n.Id, n.Title, n.Markdown)));
        Assert.Equal(once.Select(n => n.Data.GetRawText()), again.Select(n => n.Data.GetRawText()));
    }

    [Fact]
    public void Rankings_and_evaluations_concern_the_whole_plan()
    {
        var facts = new Dictionary<Minsheng.Domain.Plans.AssignmentKey, ProgressFact>();
        var ranking = new WeeklyRankingBuilder(Gongshu, ReviewOptions.Default, StatusRules.DefaultLagTolerance).Build(new IsoWeek(2024, 23), facts, null);
        var published = Builder.RankingPublished(ranking);
        Assert.Equal(("rankingPublished:2024-W23", NoticeKind.RankingPublished, At(6, 3, 9)), (published.Id, published.Kind, published.At));
        Assert.Empty(published.Units);
        Assert.Equal("2024-W23 周晾晒已发布", published.Title);
        Assert.Equal("2024-W23", published.Data.GetProperty("week").GetString());

        var evaluation = new MonthlyEvaluator(Gongshu, ReviewOptions.Default, MonthlyEvaluationOptions.Default, StatusRules.DefaultLagTolerance)
            .Evaluate(new EvaluationMonth(2024, 5), facts, [ranking], [], null);
        var evaluated = Builder.EvaluationPublished(evaluation);
        Assert.Equal(("evaluationPublished:2024-05", NoticeKind.EvaluationPublished, At(5, 31, 23, 59, 59)), (evaluated.Id, evaluated.Kind, evaluated.At));
        Assert.Empty(evaluated.Units);
        Assert.Equal("2024-05 月度评估已发布", evaluated.Title);
        Assert.Equal("2024-05", evaluated.Data.GetProperty("month").GetString());
    }

    [Fact]
    public void Statuses_answers_closings_and_cleared_forecasts_tell_nothing()
    {
        var at = At(6, 3, 9);
        var c = new SupervisionCase("C0007", "9.1", "wulin", CaseKind.Lagging, CaseState.Closed, at.AddDays(-10), "连续 4 次周检滞后于计划进度",
            ["housing-construction", "xu-leiting"], [], at, "任务已完成，自动结案");
        SupervisionEvent[] events =
        [
            new StatusChanged("9.1", "wulin", "main", AssignmentStatus.OnTrack, AssignmentStatus.Lagging, false, at),
            new CaseChanged(CaseAction.Closed, c, at),
            new CaseChanged(CaseAction.Responded, c with { State = CaseState.Responded }, at),
            new ForecastChanged("9.1", "wulin", "main", false, null, at),
            new DigestReady([], at),
        ];
        Assert.Empty(Builder.FromSupervision(events));
        Assert.Equal("caseOpened:C0007", Assert.Single(Builder.FromSupervision([new CaseChanged(CaseAction.Opened, c, at)])).Id);
    }

    [Fact]
    public void Ids_and_titles_do_not_depend_on_the_culture()
    {
        var digest = new UnitDigest("wulin", new DateOnly(2024, 6, 3), 180, [], [], [], []);
        var reminder = new DeadlineNearReached("9.1", "wulin", "main", 7, 1, 10, At(11, 23, 9));
        var invariant = (Builder.Digest(digest, At(6, 3, 8)), Assert.Single(Builder.FromSupervision([reminder])));
        Assert.Equal("digest:wulin:2024-06-03", invariant.Item1.Id);
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // A server whose culture counts years otherwise (the Thai Buddhist calendar: 2567) still makes the same ids.
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("th-TH");
            var thai = (Builder.Digest(digest, At(6, 3, 8)), Assert.Single(Builder.FromSupervision([reminder])));
            Assert.Equal(invariant.Item2.Id, thai.Item2.Id);
            Assert.Equal(invariant.Item1.Id, thai.Item1.Id);
            Assert.Equal(invariant.Item1.Title, thai.Item1.Title);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }
}
