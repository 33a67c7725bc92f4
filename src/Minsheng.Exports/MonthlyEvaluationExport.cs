using Minsheng.Domain.Plans;
using Minsheng.Domain.Reviews;

namespace Minsheng.Exports;

/// <summary>A monthly 评估 as one table: streets then departments, each in rank order, every part of the score shown.</summary>
public static class MonthlyEvaluationExport
{
    public static readonly IReadOnlyList<string> Headers =
    [
        "类别", "排名", "单位编号", "单位", "完成率", "序时进度", "进度得分", "督办件数", "督办达标项", "督办得分",
        "晾晒周数", "未报送周数", "报送得分", "小计", "末位", "连续末位月数", "末位扣分", "总分",
    ];

    public static ExportTable Table(MonthlyEvaluation evaluation, PlanIndex plan)
    {
        var rows = evaluation.Streets.Select(s => Row("街道", s)).Concat(evaluation.Departments.Select(s => Row("部门", s))).ToList();
        var w = evaluation.Weights;
        var title = $"{plan.Plan.Title} {evaluation.Month} 月度评估（进度 {w.ProgressWeight} + 督办 {w.CaseWeight} + 报送 {w.ReportingWeight} − 末位扣分）";
        return new ExportTable("月度评估", title, Headers, rows);
    }

    private static IReadOnlyList<ExportCell> Row(string kind, MonthlyScore s) =>
    [
        kind, ExportCell.Of(s.Rank), s.Id, s.Name, ExportCell.Of(s.Ratio), ExportCell.Of(s.Expected), ExportCell.Of(s.Progress),
        ExportCell.Of(s.CasesCounted), ExportCell.Of(s.CaseChecksMet), ExportCell.Of(s.Cases),
        ExportCell.Of(s.WeeksCounted), ExportCell.Of(s.SilentWeeks), ExportCell.Of(s.Reporting), ExportCell.Of(s.Subtotal),
        s.LastPlace ? new ExportCell("是", null, StatusColors.Overdue) : "否", ExportCell.Of(s.LastPlaceStreak),
        ExportCell.Of(s.Penalty), ExportCell.Of(s.Total),
    ];
}
