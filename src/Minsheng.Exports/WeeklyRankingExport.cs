using System.Globalization;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;

namespace Minsheng.Exports;

/// <summary>
/// A weekly 晾晒 as tables: the ranking of streets then departments (the CSV holds this one), and in the workbook the
/// lagging, overdue and silent lists on sheets of their own.
/// </summary>
public static class WeeklyRankingExport
{
    public static readonly IReadOnlyList<string> RankingHeaders =
        ["类别", "排名", "名次变化", "单位编号", "单位", "完成率", "序时进度", "差距（百分点）", "亮灯"];

    /// <summary>Every table of the ranking, for the workbook: 排名, 滞后, 逾期, 未报送, 预计逾期.</summary>
    public static IReadOnlyList<ExportTable> Tables(WeeklyRanking ranking, PlanIndex plan) =>
    [
        Ranking(ranking, plan),
        Assignments("滞后", $"{Heading(ranking, plan)} 滞后任务", ranking.Lagging, plan),
        Assignments("逾期", $"{Heading(ranking, plan)} 逾期任务", ranking.Overdue, plan),
        Silent(ranking, plan),
        AtRisk(ranking, plan),
    ];

    /// <summary>The assignments expected to miss the deadline at their own pace (预计逾期), with their forecasts.</summary>
    private static ExportTable AtRisk(WeeklyRanking ranking, PlanIndex plan) => new(
        "预计逾期", $"{Heading(ranking, plan)} 按当前进度预计逾期的任务",
        ["任务编号", "任务", "单位编号", "单位", "指标", "目标数", "完成数", "预计完成", "最早", "最晚", "说明"],
        (ranking.AtRisk ?? []).Select(f => (IReadOnlyList<ExportCell>)
        [
            f.TaskId, plan.Task(f.TaskId).Title, f.UnitId, UnitName(plan, f.TaskId, f.UnitId), f.MetricId,
            ExportCell.Of((decimal)f.Target), ExportCell.Of((decimal)f.Completed),
            Day(f.Forecast.ExpectedDoneAt) is { Length: > 0 } day ? day : "按当前进度无法完成",
            Day(f.Forecast.Earliest), Day(f.Forecast.Latest), f.Forecast.Reason ?? "",
        ]).ToList());

    private static string Day(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>The ranking itself: streets, then departments, each in rank order.</summary>
    public static ExportTable Ranking(WeeklyRanking ranking, PlanIndex plan)
    {
        var rows = ranking.Streets.Select(r => Row("街道", r)).Concat(ranking.Departments.Select(r => Row("部门", r))).ToList();
        return new ExportTable("排名", $"{Heading(ranking, plan)} 排名", RankingHeaders, rows);
    }

    private static IReadOnlyList<ExportCell> Row(string kind, RankedUnit r) =>
    [
        kind, ExportCell.Of(r.Rank), r.RankChange is { } change ? ExportCell.Of(change) : "", r.Id, r.Name,
        ExportCell.Of(r.Ratio), ExportCell.Of(r.Expected), ExportCell.Of(r.GapPoints),
        new ExportCell(Lights.Label(r.Light), null, StatusColors.LightFill(r.Light)),
    ];

    private static ExportTable Assignments(string sheet, string title, IReadOnlyList<AssignmentView> views, PlanIndex plan) => new(
        sheet, title, ["任务编号", "任务", "单位编号", "单位", "指标", "目标数", "完成数", "完成率", "状态", "最近上报"],
        views.Select(v => (IReadOnlyList<ExportCell>)
        [
            v.TaskId, plan.Task(v.TaskId).Title, v.UnitId, UnitName(plan, v.TaskId, v.UnitId), v.MetricId,
            ExportCell.Of((decimal)v.Target), ExportCell.Of((decimal)v.Completed), ExportCell.Of(v.Ratio),
            new ExportCell(StatusColors.Label(v.Status), null, StatusColors.Fill(v.Status)),
            v.LastReportAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "",
        ]).ToList());

    private static ExportTable Silent(WeeklyRanking ranking, PlanIndex plan) => new(
        "未报送", $"{Heading(ranking, plan)} 本周未报送单位", ["单位编号", "单位", "未报送任务"],
        ranking.Silent.Select(s => (IReadOnlyList<ExportCell>)
            [s.UnitId, plan.FindStreet(s.UnitId)?.Name ?? plan.FindDepartment(s.UnitId)?.Name ?? s.UnitId, string.Join('、', s.TaskIds)])
            .ToList());

    private static string Heading(WeeklyRanking ranking, PlanIndex plan) =>
        $"{plan.Plan.Title} 每周晾晒 {ranking.Week}（{ranking.PublishedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}）";

    /// <summary>A street's name, or for the district level "区本级（lead department）".</summary>
    internal static string UnitName(PlanIndex plan, string taskId, string unitId) =>
        unitId == PlanUnits.District
            ? $"区本级（{plan.FindDepartment(plan.Task(taskId).LeadDepartment)?.Name}）"
            : plan.FindStreet(unitId)?.Name ?? unitId;
}
