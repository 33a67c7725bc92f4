using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Tests.Plans;

/// <summary>The checked-in plan file is exactly what the importer makes of the notice.</summary>
public sealed class PlanSeedFileTests
{
    // Set to 1 to rewrite seeds/gongshu-2024.plan.json from the importer (then review the diff and commit it).
    private const string RegenerateVariable = "MINSHENG_REGENERATE_SEEDS";

    [Fact]
    public void Checked_in_plan_file_is_the_importer_output_byte_for_byte()
    {
        var expected = PlanJson.Serialize(GongshuImport.Result.Plan);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            File.WriteAllText(RepoFiles.GongshuPlanPath, expected);
        }

        Assert.True(File.Exists(RepoFiles.GongshuPlanPath), $"missing {RepoFiles.GongshuPlanPath}; run with {RegenerateVariable}=1");
        Assert.Equal(expected, File.ReadAllText(RepoFiles.GongshuPlanPath));
    }
}
