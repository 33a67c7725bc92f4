using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Minsheng.Cli;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// <c>token ROLE [--district ID]</c>: a unit token names its district, filled in when exactly one loaded district has
/// the unit, and refused (exit 2, saying why) when several do and none is named.
/// </summary>
public sealed class TokenDistrictCommandTests : IDisposable
{
    private readonly string _seeds = Directory.CreateTempSubdirectory("minsheng-token-districts-").FullName;

    public TokenDistrictCommandTests()
    {
        var seed = File.ReadAllText(Path.Combine(RepoPaths.Seeds, "gongshu-2024.plan.json"));
        File.WriteAllText(Path.Combine(_seeds, "gongshu-2024.plan.json"), seed);
        var other = JsonNode.Parse(seed)!.AsObject();
        other["id"] = "xihu-2024";
        other["district"] = new JsonObject { ["id"] = "xihu", ["name"] = "西湖区" };
        // xihu has tianshui too, but not kangqiao: its street of that place is xixi (same targets, another id).
        other = JsonNode.Parse(other.ToJsonString().Replace("\"kangqiao\"", "\"xixi\"", StringComparison.Ordinal))!.AsObject();
        File.WriteAllText(Path.Combine(_seeds, "xihu-2024.plan.json"), other.ToJsonString());
    }

    public void Dispose() => Directory.Delete(_seeds, recursive: true);

    private async Task<(int? Exit, string Output, string Error)> Token(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await MinshengCommandLine.TryRunAsync(["token", .. args, $"--Minsheng:Seeds={_seeds}",
            $"--Minsheng:Auth:SigningKey={Encoding.UTF8.GetString(SiloHost.SigningKey)}"], output, error);
        return (exit, output.ToString().Trim(), error.ToString());
    }

    private static string? District(string token) => new JsonWebToken(token).TryGetClaim("district", out var claim) ? claim.Value : null;

    [Fact]
    public async Task A_street_two_districts_have_needs_district_and_gets_the_one_named()
    {
        var (refused, _, error) = await Token("street:tianshui");
        Assert.Equal(MinshengCommandLine.UsageError, refused);
        Assert.Contains("--district", error);
        Assert.Contains("gongshu", error);
        Assert.Contains("xihu", error);

        var (exit, token, _) = await Token("street:tianshui", "--district", "xihu");
        Assert.Equal(0, exit);
        Assert.Equal("xihu", District(token));
    }

    [Fact]
    public async Task A_street_of_one_district_gets_that_district_filled_in()
    {
        var (exit, token, _) = await Token("street:kangqiao");
        Assert.Equal(0, exit);
        Assert.Equal("gongshu", District(token));
        var (refused, _, error) = await Token("street:kangqiao", "--district", "xihu");
        Assert.Equal(MinshengCommandLine.UsageError, refused);
        Assert.Contains("xihu", error);
    }

    [Fact]
    public async Task Reporter_and_reviewer_roles_name_a_street_or_a_department_of_their_district()
    {
        var (exit, token, _) = await Token("reporter:kangqiao");
        Assert.Equal((0, "gongshu"), (exit, District(token)));
        Assert.Equal("reporter:kangqiao", new JsonWebToken(token).GetClaim("role").Value);
        var (reviewer, reviewerToken, _) = await Token("reviewer:education", "--district", "xihu");
        Assert.Equal((0, "xihu"), (reviewer, District(reviewerToken)));

        var (refused, _, error) = await Token("reviewer:tianshui");
        Assert.Equal(MinshengCommandLine.UsageError, refused);
        Assert.Contains("--district", error);
        Assert.Equal(MinshengCommandLine.UsageError, (await Token("reporter:nowhere")).Exit);
        Assert.Equal(MinshengCommandLine.UsageError, (await Token("reviewer:kangqiao", "--district", "xihu")).Exit);
    }

    [Fact]
    public async Task Service_wide_and_region_roles_take_no_district()
    {
        var (exit, token, _) = await Token("office");
        Assert.Equal(0, exit);
        Assert.Null(District(token));
        var (region, regionToken, _) = await Token("region-viewer:hangzhou");
        Assert.Equal(0, region);
        Assert.Equal("region-viewer:hangzhou", new JsonWebToken(regionToken).GetClaim("role").Value);

        var (refused, _, error) = await Token("office", "--district", "gongshu");
        Assert.Equal(MinshengCommandLine.UsageError, refused);
        Assert.Contains("--district", error);
        Assert.Equal(MinshengCommandLine.UsageError, (await Token("region-office:shanghai")).Exit);
        Assert.Equal(MinshengCommandLine.UsageError, (await Token("street:nowhere", "--district", "gongshu")).Exit);
    }
}
