using Minsheng.Silo.Api;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The tests' settle endpoint: absent unless <c>Minsheng:Testing:SettleEndpoint</c> is on; when on, office only, a known
/// plan only, and it answers after the plan's rollup includes what was accepted before it.
/// </summary>
public sealed class SettleEndpointTests
{
    private const string Settle = "/api/v1/admin/settle?planId=gongshu-2024";

    [Fact]
    public async Task Off_by_default_the_route_does_not_exist()
    {
        await using var host = new SiloHost();
        Assert.Equal(404, (await host.As("office").PostRaw(Settle, "")).Status);
    }

    [Fact]
    public async Task When_on_it_is_office_only_names_an_unknown_plan_and_answers_after_the_rollup_caught_up()
    {
        await using var host = new SiloHost().With(AdminApi.SettleEndpointSetting, "true");
        var refused = await host.As("street:tianshui").PostRaw(Settle, "");
        Assert.Equal(403, refused.Status);
        Assert.Equal("role", refused.Body!["field"].Str());
        var unknown = await host.As("office").PostRaw("/api/v1/admin/settle?planId=nowhere", "");
        Assert.Equal(404, unknown.Status);

        Assert.Equal(201, (await host.As("street:tianshui").PostJson("/api/v1/plans/gongshu-2024/reports",
            new { reportId = "settle-1", taskId = "3.1", unitId = "tianshui", completed = 1 })).Status);
        Assert.Equal(204, (await host.As("office").PostRaw(Settle, "")).Status);
        var street = await host.As("office").GetOk("/api/v1/plans/gongshu-2024/projects/3");
        Assert.Contains(street["assignments"]!.AsArray(), a => a!["unitId"].Str() == "tianshui" && a["taskId"].Str() == "3.1"
            && a["completed"]!.GetValue<long>() == 1);
    }
}
