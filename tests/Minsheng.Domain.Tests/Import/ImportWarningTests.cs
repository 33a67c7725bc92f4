namespace Minsheng.Domain.Tests.Import;

public sealed class ImportWarningTests
{
    [Fact]
    public void Only_project_1_differs_between_the_attachments()
    {
        var warning = Assert.Single(GongshuImport.Result.Warnings);

        Assert.StartsWith("project 1 “阳光相伴”老幼融合服务项目:", warning, StringComparison.Ordinal);
        Assert.Contains("attachment 1 states [8个, 4个]", warning, StringComparison.Ordinal);
        Assert.Contains("[6所 (task 1.1), 6所 (task 1.2), 4个 (task 1.3)]", warning, StringComparison.Ordinal);
        Assert.Contains("attachment 2 is used", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Attachment_2_rules_the_plan_of_project_1() =>
        Assert.Equal([6L, 6L, 4L], GongshuImport.Result.Plan.Tasks.Where(t => t.ProjectId == "1").Select(t => t.Metrics[0].Target));

    [Fact]
    public void Any_project_whose_summary_differs_is_warned_about()
    {
        // Project 4 promises 10 canteens in attachment 1 while its task still counts 9.
        var result = EditedNotice.Import("新增9个“大运河社区食堂”；", "新增10个“大运河社区食堂”；");

        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains(result.Warnings, w => w.StartsWith("project 4 ", StringComparison.Ordinal)
            && w.Contains("[10个, 630户]", StringComparison.Ordinal)
            && w.Contains("[9个 (task 4.1), 630户 (task 4.2)]", StringComparison.Ordinal));
    }
}
