using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Tests.Plans;

public sealed class PlanLoaderTests
{
    [Fact]
    public void The_seeds_directory_holds_exactly_gongshu_2024()
    {
        var plans = PlanLoader.LoadDirectory(RepoFiles.Seeds);

        Assert.Equal("gongshu-2024", Assert.Single(plans).Id);
    }

    [Fact]
    public void Only_plan_files_are_read_and_plans_come_sorted_by_id()
    {
        var seed = GongshuImport.Result.Plan;
        using var dir = new TempDirectory();
        dir.Write("z.plan.json", PlanJson.Serialize(seed with { Id = "a-2024" }));
        dir.Write("a.plan.json", PlanJson.Serialize(seed with { Id = "b-2024" }));
        dir.Write("notes.json", "not a plan");
        dir.Write("x.import.json", "{}");
        dir.Write("plan.json.bak", "not a plan either");

        var plans = PlanLoader.LoadDirectory(dir.Path);

        Assert.Equal(["a-2024", "b-2024"], plans.Select(p => p.Id));
    }

    [Fact]
    public void Two_files_with_the_same_plan_id_are_refused()
    {
        using var dir = new TempDirectory();
        var json = File.ReadAllText(RepoFiles.GongshuPlanPath);
        dir.Write("first.plan.json", json);
        dir.Write("second.plan.json", json);

        var message = Assert.Throws<PlanFormatException>(() => PlanLoader.LoadDirectory(dir.Path)).Message;

        Assert.Equal("second.plan.json: plan id gongshu-2024 is already used by first.plan.json", message);
    }

    [Fact]
    public void A_file_that_is_not_json_is_refused_naming_it()
    {
        using var dir = new TempDirectory();
        dir.Write("broken.plan.json", "{ not json");

        var message = Assert.Throws<PlanFormatException>(() => PlanLoader.LoadDirectory(dir.Path)).Message;

        Assert.StartsWith("broken.plan.json:", message, StringComparison.Ordinal);
    }
}
