using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Tests.Import;

/// <summary>The imported gongshu-2024 plan against the hand-typed tables of <see cref="ExpectedGongshu2024"/>.</summary>
public sealed class GongshuImportTableTests
{
    private static Plan Plan => GongshuImport.Result.Plan;

    [Fact]
    public void Every_cell_of_the_task_table_matches_the_hand_typed_table()
    {
        var mismatches = new List<string>();
        var expectedAssignments = 0;
        foreach (var row in ExpectedGongshu2024.Rows(ExpectedGongshu2024.Cells))
        {
            var (taskId, metricId, cells) = (row[0], row[1], row[4..]);
            Assert.Equal(ExpectedGongshu2024.Columns.Length, cells.Length);
            var task = Plan.Tasks.Single(t => t.Id == taskId);
            for (var i = 0; i < cells.Length; i++)
            {
                var unitId = ExpectedGongshu2024.Columns[i];
                long? expected = cells[i] == "-" ? null : long.Parse(cells[i], System.Globalization.CultureInfo.InvariantCulture);
                var actual = task.Assignments.SingleOrDefault(a => a.UnitId == unitId && a.MetricId == metricId)?.Target;
                if (expected != actual)
                {
                    mismatches.Add($"{taskId} {metricId} {unitId}: expected {expected?.ToString() ?? "-"}, imported {actual?.ToString() ?? "-"}");
                }

                expectedAssignments += expected is null ? 0 : 1;
            }
        }

        Assert.Empty(mismatches);

        // No assignment outside the table: an absent cell is no assignment.
        Assert.Equal(expectedAssignments, Plan.Tasks.Sum(t => t.Assignments.Count));
    }

    [Fact]
    public void Every_metric_has_the_unit_and_the_total_stated_in_the_title()
    {
        var expected = ExpectedGongshu2024.Rows(ExpectedGongshu2024.Cells)
            .Select(r => $"{r[0]} {r[1]} {r[2]} {r[3]}");
        var imported = Plan.Tasks.SelectMany(t => t.Metrics.Select(m => $"{t.Id} {m.Id} {m.Unit} {m.Target}"));
        Assert.Equal(expected, imported);
    }

    [Fact]
    public void Metric_names_are_the_task_titles_except_the_two_of_5_2()
    {
        Assert.All(Plan.Tasks.Where(t => t.Id != "5.2"), t => Assert.Equal(t.Title, Assert.Single(t.Metrics).Name));
        var dementia = Plan.Tasks.Single(t => t.Id == "5.2").Metrics;
        Assert.Equal(["认知症早期筛查", "非药物干预指导"], dementia.Select(m => m.Name));
    }

    [Fact]
    public void Tasks_have_their_titles_lead_departments_and_projects()
    {
        var expected = ExpectedGongshu2024.Rows(ExpectedGongshu2024.Tasks).Select(r => $"{r[0]} {r[1]} {r[2]}");
        Assert.Equal(expected, Plan.Tasks.Select(t => $"{t.Id} {t.LeadDepartment} {t.Title}"));
        Assert.All(Plan.Tasks, t => Assert.Equal(t.Id.Split('.')[0], t.ProjectId));
    }

    [Fact]
    public void Projects_have_their_names_leaders_lead_departments_units_and_tasks()
    {
        var expected = ExpectedGongshu2024.Rows(ExpectedGongshu2024.Projects).ToList();
        Assert.Equal(expected.Select(r => r[0]), Plan.Projects.Select(p => p.Id));
        foreach (var (row, project) in expected.Zip(Plan.Projects))
        {
            Assert.Equal(row[1], project.Name);
            Assert.Equal(row[2].Split(','), project.Leaders);
            Assert.Equal(row[3].Split(','), project.LeadDepartments);
            Assert.Equal(row[4].Split('、'), project.ResponsibleUnits);
            Assert.Equal(Plan.Tasks.Where(t => t.ProjectId == project.Id).Select(t => t.Id), project.Tasks);
        }
    }

    [Fact]
    public void Project_summaries_are_the_work_tasks_of_attachment_1()
    {
        Assert.Equal("打造8个“一老一小”示范型融合服务点；打造4个“一老一小”普惠型融合服务点。", Plan.Projects[0].Summary);
        Assert.Equal("完成48个老旧小区综合改造提升；建设18个“宁静小区”。", Plan.Projects[9].Summary);
    }

    [Fact]
    public void Streets_departments_and_leaders_come_from_the_dictionary_in_its_order()
    {
        Assert.Equal(ExpectedGongshu2024.Columns[1..], Plan.Streets.Select(s => s.Id));
        Assert.Equal(
            ["天水", "上塘", "武林", "祥符", "长庆", "半山", "潮鸣", "康桥", "朝晖", "米市巷", "文晖", "湖墅", "东新", "小河", "石桥", "拱宸桥", "和睦", "大关"],
            Plan.Streets.Select(s => s.Name));
        Assert.Equal(
            ["civil-affairs 区民政局", "education 区教育局", "health 区卫健局", "culture-tourism-sports 区文广旅体局",
             "disabled-persons-federation 区残联", "housing-construction 区住建局", "urban-management 区综合行政执法局",
             "ecology-environment 生态环境拱墅分局"],
            Plan.Departments.Select(d => $"{d.Id} {d.Name}"));
        Assert.Equal(
            ["fan-zheng 樊峥", "wang-yiping 王一平", "jia-yuanyuan 贾元元", "xu-leiting 许雷挺"],
            Plan.Leaders.Select(l => $"{l.Id} {l.Name}"));
    }

    [Fact]
    public void Plan_has_its_id_title_and_dates()
    {
        Assert.Equal("gongshu-2024", Plan.Id);
        Assert.Equal("2024年拱墅区政府民生实事项目", Plan.Title);
        Assert.Equal(2024, Plan.Year);
        Assert.Equal(new DateOnly(2024, 2, 28), Plan.Start);
        Assert.Equal(DateTimeOffset.Parse("2024-11-30T23:59:59+08:00", System.Globalization.CultureInfo.InvariantCulture), Plan.Deadline);
        Assert.Equal(TimeSpan.FromHours(8), Plan.Deadline.Offset);
        Assert.Equal(DateTimeOffset.Parse("2024-12-31T23:59:59+08:00", System.Globalization.CultureInfo.InvariantCulture), Plan.FinalDeadline);
        Assert.Equal(TimeSpan.FromHours(8), Plan.FinalDeadline.Offset);
    }

    [Fact]
    public void Imported_plan_is_valid() => Assert.Empty(PlanValidator.Validate(Plan));
}
