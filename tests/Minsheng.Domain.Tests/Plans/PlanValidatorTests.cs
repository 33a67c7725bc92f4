using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Tests.Plans;

/// <summary>Bad plan files are refused with messages naming what is wrong and where.</summary>
public sealed class PlanValidatorTests
{
    [Fact]
    public void A_missing_field_is_refused_naming_the_field()
    {
        var message = BadPlanFiles.Refusal(plan => plan.Remove("title"));

        Assert.Contains("'title'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_field_of_a_task_is_refused_naming_the_field()
    {
        var message = BadPlanFiles.Refusal(plan => BadPlanFiles.Task(plan, "2.1").Remove("leadDepartment"));

        Assert.Contains("'leadDepartment'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_field_is_refused_naming_the_place()
    {
        var message = BadPlanFiles.Refusal(plan => BadPlanFiles.Task(plan, "2.1")["title"] = " ");

        Assert.Contains("task 2.1: title is missing or empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_street_is_refused()
    {
        var message = BadPlanFiles.Refusal(plan => BadPlanFiles.Task(plan, "1.1")["assignments"]![0]!["unitId"] = "xihu");

        Assert.Contains("task 1.1 assignment xihu/main: unit xihu is neither district nor a street of the plan", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_total_that_the_assignments_do_not_sum_to_is_refused()
    {
        var message = BadPlanFiles.Refusal(plan => BadPlanFiles.Task(plan, "3.1")["metrics"]![0]!["target"] = 199);

        Assert.Contains("task 3.1 metric main: title states 199, assignments sum to 200", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_task_id_is_refused()
    {
        var message = BadPlanFiles.Refusal(plan => BadPlanFiles.Task(plan, "1.2")["id"] = "1.1");

        Assert.Contains("task 1.1: id is used twice", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_target_is_refused()
    {
        var message = BadPlanFiles.Refusal(plan => BadPlanFiles.Task(plan, "6.1")["assignments"]![0]!["target"] = -2);

        Assert.Contains("task 6.1 assignment tianshui/main: target -2 is not positive", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_metric_target_is_refused()
    {
        var message = BadPlanFiles.Refusal(plan => BadPlanFiles.Task(plan, "7.2")["metrics"]![0]!["target"] = 0);

        Assert.Contains("task 7.2 metric main: target 0 is not positive", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_leaders_departments_and_metrics_are_refused()
    {
        var message = BadPlanFiles.Refusal(plan =>
        {
            plan["projects"]![0]!["leaders"]![0] = "nobody";
            BadPlanFiles.Task(plan, "4.1")["leadDepartment"] = "finance";
            BadPlanFiles.Task(plan, "5.2")["assignments"]![1]!["metricId"] = "main";
        });

        Assert.Contains("project 1: leader nobody is not a leader of the plan", message, StringComparison.Ordinal);
        Assert.Contains("task 4.1: lead department finance is not a department of the plan", message, StringComparison.Ordinal);
        Assert.Contains("task 5.2 assignment changqing/main: metric main is not a metric of the task", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_its_project_does_not_list_is_refused()
    {
        var message = BadPlanFiles.Refusal(plan => BadPlanFiles.Task(plan, "2.2")["projectId"] = "3");

        Assert.Contains("task 2.2: project 3 does not list it among its tasks", message, StringComparison.Ordinal);
        Assert.Contains("project 2: task 2.2 belongs to project 3", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_unit_given_the_same_metric_twice_is_refused()
    {
        var message = BadPlanFiles.Refusal(plan => BadPlanFiles.Task(plan, "10.2")["assignments"]![1]!["unitId"] = "tianshui");

        Assert.Contains("task 10.2 assignment tianshui/main: the unit has this metric twice", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_out_of_order_are_refused()
    {
        var message = BadPlanFiles.Refusal(plan => plan["finalDeadline"] = "2024-11-01T00:00:00+08:00");

        Assert.Contains("deadline 2024-11-30T23:59:59+08:00 is after final deadline 2024-11-01T00:00:00+08:00", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var plan = GongshuImport.Result.Plan;
        var broken = plan with
        {
            Title = "",
            Streets = [.. plan.Streets, plan.Streets[0]],
            Tasks = [.. plan.Tasks.Skip(1)],
        };

        var problems = PlanValidator.Validate(broken);

        Assert.Contains("plan gongshu-2024: title is missing or empty", problems);
        Assert.Contains("street tianshui: id is used twice", problems);
        Assert.Contains("project 1: task 1.1 is not a task of the plan", problems);
        var thrown = Assert.Throws<PlanFormatException>(() => PlanValidator.ValidateOrThrow(broken, "broken.plan.json"));
        Assert.StartsWith($"broken.plan.json: plan gongshu-2024 has {problems.Count} problem(s):", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nulls_in_a_plan_built_in_code_are_problems_not_crashes()
    {
        var plan = GongshuImport.Result.Plan with { Leaders = null!, Projects = [null!] };

        var problems = PlanValidator.Validate(plan);

        Assert.Contains("leaders: missing or empty", problems);
        Assert.Contains("project #1: missing", problems);
    }
}
