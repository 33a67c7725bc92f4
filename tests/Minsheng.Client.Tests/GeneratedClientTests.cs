using System.Reflection;
using Minsheng.Client.Models;

namespace Minsheng.Client.Tests;

/// <summary>
/// A consumer of the contract: every call goes through the client Kiota generated from docs/openapi.v1.json, against
/// the real service. When the document and the service drift apart (a member renamed or dropped, an answer under the
/// wrong type, a refusal that is no problem), these calls fail or members come back empty.
/// </summary>
public sealed class GeneratedClientTests(ServiceHost host) : IClassFixture<ServiceHost>
{
    private const string PlanId = "gongshu-2024";

    /// <summary>
    /// The year's first month as README's worked example tells it: 武林 completes every assignment on 2024-03-01 and
    /// nobody else reports; the March evaluation is read back with every member present and the numbers worked by hand.
    /// </summary>
    [Fact]
    public async Task Catalog_report_street_history_and_a_monthly_evaluation_through_the_generated_client()
    {
        var office = host.As("office");
        var wulin = host.As("street:wulin");

        // The catalog.
        var plans = await office.Api.V1.Plans.GetAsync();
        var summary = Assert.Single(plans!, p => p.Id == PlanId);
        Assert.Equal(new DateTimeOffset(2024, 11, 30, 23, 59, 59, TimeSpan.FromHours(8)), summary.Deadline);
        var plan = (await office.Api.V1.Plans[PlanId].GetAsync())!;
        Assert.Equal(18, plan.Streets!.Count);
        Assert.Contains(plan.Streets, s => s.Id == "wulin" && s.Name == "武林");
        var assignments = plan.Tasks!
            .SelectMany(t => t.Assignments!.Where(a => a.UnitId == "wulin").Select(a => (Task: t.Id!, a.MetricId, Target: a.Target!.Value)))
            .ToList();
        Assert.Equal(7, assignments.Count); // seeds/gongshu-2024.plan.json gives 武林 seven assignments

        // Reports, on the simulated business clock's 2024-03-01.
        var moved = await office.Api.V1.Admin.Clock.PostAsync(new ClockBody { Now = At(2024, 3, 1, 10) });
        Assert.Equal(At(2024, 3, 1, 10), moved!.Now);
        foreach (var (task, metric, target) in assignments)
        {
            var answer = await wulin.Api.V1.Plans[PlanId].Reports.PostAsync(new ReportBody
            {
                ReportId = $"client-{task}-{metric}", TaskId = task, UnitId = "wulin", MetricId = metric, Completed = target, Note = "生成客户端上报",
            });
            Assert.Equal((task, "wulin", metric, target, target, ReportAnswer_status.Done, 1L),
                (answer!.TaskId, answer.UnitId, answer.MetricId, answer.Completed, answer.Target, answer.Status, answer.Version));
            Assert.Equal(At(2024, 3, 1, 10), answer.RecordedAt);
        }

        // The street: everything done, on the default schedule.
        var street = (await office.Api.V1.Plans[PlanId].Streets["wulin"].GetAsync())!;
        Assert.Equal(("wulin", "武林", 1.0), (street.Id, street.Name, street.Ratio));
        Assert.Equal(assignments.Count, street.Assignments!.Count);
        Assert.All(street.Assignments, a => Assert.Equal((AssignmentView_status.Done, AssignmentView_scheduleSource.Default, 1.0),
            (a.Status, a.ScheduleSource, a.Ratio)));
        Assert.Equal(assignments.Count, street.Counts!.Done);
        // Its forecast (issue 22): done, when the last assignment was; every member there but the reason (none when done).
        Assert.Equal((Forecast_method.Done, At(2024, 3, 1, 10), false), (street.Forecast!.Method, street.Forecast.ExpectedDoneAt, street.Forecast.AtRisk));
        AssertEveryMember(street.Forecast, "StreetView.forecast", except: ["Reason"]);
        Assert.All(street.Assignments, a => Assert.Equal(Forecast_method.Done, a.Forecast!.Method));

        // One assignment's history: the one report, from nothing to its target.
        var (firstTask, firstMetric, firstTarget) = assignments[0];
        var history = (await office.Api.V1.Plans[PlanId].Assignments[firstTask]["wulin"].History.GetAsync())!;
        var entry = Assert.Single(history);
        Assert.Equal(($"client-{firstTask}-{firstMetric}", firstMetric, firstTarget, 0L, false, "生成客户端上报"),
            (entry.ReportId, entry.MetricId, entry.Completed, entry.Previous, entry.Correction, entry.Note));
        Assert.Equal(At(2024, 3, 1, 10), entry.At);
        AssertEveryMember(entry, "HistoryEntry", except: ["Reason", "SignOff"]); // no correction; no sign-off in this plan

        // The month's end passes: the March evaluation is published at 2024-03-31 23:59:59.
        var notYet = await Assert.ThrowsAsync<ApiProblem>(() => office.Api.V1.Plans[PlanId].Evaluations["2024-03"].GetAsync());
        Assert.Equal((404, "month"), (notYet.ResponseStatusCode, notYet.Field));
        await office.Api.V1.Admin.Clock.PostAsync(new ClockBody { Now = At(2024, 4, 1, 0) });
        var march = (await office.Api.V1.Plans[PlanId].Evaluations["2024-03"].GetAsync())!;

        // Every member, of the evaluation, its weights and every row, is there: none was dropped on the way.
        AssertEveryMember(march, "MonthlyEvaluation");
        AssertEveryMember(march.Weights!, "MonthlyEvaluationOptions");
        Assert.Equal(18, march.Streets!.Count);
        Assert.NotEmpty(march.Departments!);
        foreach (var row in march.Streets.Concat(march.Departments!)) AssertEveryMember(row, $"MonthlyScore {row.Id}");
        Assert.Equal((PlanId, "2024-03", new DateTimeOffset(2024, 3, 31, 23, 59, 59, TimeSpan.FromHours(8))), (march.PlanId, march.Month, march.EvaluatedAt));
        Assert.Equal((70.0, 20.0, 10.0, 2.0, 10.0), (march.Weights!.ProgressWeight, march.Weights.CaseWeight, march.Weights.ReportingWeight,
            march.Weights.LastPlacePenalty, march.Weights.MaxLastPlacePenalty));

        // Worked by hand: 武林's ratio 1 is at least its 序时进度, so progress = 70 × 1 = 70; no case: cases = 20; four
        // 晾晒 in March (W10–W13), never silent: reporting = 10 × 4/4 = 10; subtotal 100, no penalty, total 100, rank 1.
        var top = march.Streets.Single(s => s.Id == "wulin");
        Assert.Equal(("武林", 1.0, 70.0, 0, 0, 20.0, 4, 0, 10.0, 100.0, false, 0, 0.0, 100.0, 1),
            (top.Name, top.Ratio, top.Progress, top.CasesCounted, top.CaseChecksMet, top.Cases, top.WeeksCounted, top.SilentWeeks, top.Reporting,
                top.Subtotal, top.LastPlace, top.LastPlaceStreak, top.Penalty, top.Total, top.Rank));
        Assert.True(top.Expected is > 0 and < 1, $"序时进度 on 03-31 is a share of the year: {top.Expected}");
        // 大关 did nothing: progress 70 × 0 = 0; no case yet: 20; silent in all four weeks: 10 × 0/4 = 0; subtotal 20, the
        // streets' last place (shared by the 17 that did nothing, rank 2), first month there: penalty 2 × 1 = 2; total 18.
        var idle = march.Streets.Single(s => s.Id == "daguan");
        Assert.Equal((0.0, 0.0, 20.0, 4, 4, 0.0, 20.0, true, 1, 2.0, 18.0, 2),
            (idle.Ratio, idle.Progress, idle.Cases, idle.WeeksCounted, idle.SilentWeeks, idle.Reporting, idle.Subtotal, idle.LastPlace,
                idle.LastPlaceStreak, idle.Penalty, idle.Total, idle.Rank));
        Assert.Equal(top.Expected, idle.Expected);
        Assert.Equal(17, march.Streets.Count(s => s.Total == 18.0));
    }

    private static DateTimeOffset At(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Every member of a generated model was read from the answer (Kiota leaves a member it did not find null).</summary>
    internal static void AssertEveryMember(object model, string what, string[]? except = null)
    {
        var members = model.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.GetIndexParameters().Length == 0 && !(except ?? []).Contains(p.Name)).ToList();
        Assert.NotEmpty(members);
        var missing = members.Where(p => p.GetValue(model) is null).Select(p => p.Name).ToList();
        Assert.True(missing.Count == 0, $"{what}: no value for {string.Join(", ", missing)}");
    }
}

/// <summary>Refusals through the generated client, on a service of their own (the evaluation above counts every report).</summary>
public sealed class GeneratedClientRefusalTests(ServiceHost host) : IClassFixture<ServiceHost>
{
    private const string PlanId = "gongshu-2024";

    /// <summary>A refusal reaches the generated client as the typed problem the document declares, with field and reason.</summary>
    [Fact]
    public async Task A_refusal_is_a_problem_with_field_and_reason()
    {
        var street = host.As("street:tianshui");
        var first = await street.Api.V1.Plans[PlanId].Reports.PostAsync(new ReportBody { ReportId = "client-refusal-1", TaskId = "3.1", UnitId = "tianshui", Completed = 5 });
        Assert.Equal(5L, first!.Completed);

        // Lower than the current count without saying it is a correction: refused (422), naming the field.
        var lower = await Assert.ThrowsAsync<ApiProblem>(() => street.Api.V1.Plans[PlanId].Reports.PostAsync(
            new ReportBody { ReportId = "client-refusal-2", TaskId = "3.1", UnitId = "tianshui", Completed = 3 }));
        Assert.Equal((422, 422, "completed"), (lower.ResponseStatusCode, lower.Status, lower.Field));
        Assert.False(string.IsNullOrWhiteSpace(lower.Reason));
        Assert.Contains(lower.Reason!, lower.Detail);
        Assert.Equal("无法处理的请求", lower.Title);

        // Another street's assignment: 403, naming the unit.
        var other = await Assert.ThrowsAsync<ApiProblem>(() => street.Api.V1.Plans[PlanId].Reports.PostAsync(
            new ReportBody { ReportId = "client-refusal-3", TaskId = "3.1", UnitId = "wulin", Completed = 1 }));
        Assert.Equal((403, "unitId"), (other.ResponseStatusCode, other.Field));
        Assert.False(string.IsNullOrWhiteSpace(other.Reason));
    }
}
